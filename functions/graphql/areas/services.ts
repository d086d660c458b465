// GraphQL area "services": Query.services and Mutation.services. Filled by the areas helper.
import type { GraphqlArea } from '../area.js';

export const servicesArea: GraphqlArea = { typeDefs: '', resolvers: {} };
