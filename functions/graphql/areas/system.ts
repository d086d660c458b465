// GraphQL area "system": Query.system (settings, info, provider, domainInfo…) and Mutation.system. Filled by the areas helper.
import type { GraphqlArea } from '../area.js';

export const systemArea: GraphqlArea = { typeDefs: '', resolvers: {} };
