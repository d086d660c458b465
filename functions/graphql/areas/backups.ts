// GraphQL area "backups": Query.backup and Mutation.backup. Filled by the areas helper.
import type { GraphqlArea } from '../area.js';

export const backupsArea: GraphqlArea = { typeDefs: '', resolvers: {} };
