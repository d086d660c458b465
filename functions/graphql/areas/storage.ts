// GraphQL area "storage": Query.storage and Mutation.storage (volumes). Filled by the areas helper.
import type { GraphqlArea } from '../area.js';

export const storageArea: GraphqlArea = { typeDefs: '', resolvers: {} };
