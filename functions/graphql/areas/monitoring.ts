// GraphQL area "monitoring": Query.monitoring. Filled by the areas helper.
import type { GraphqlArea } from '../area.js';

export const monitoringArea: GraphqlArea = { typeDefs: '', resolvers: {} };
