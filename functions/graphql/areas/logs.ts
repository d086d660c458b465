// GraphQL area "logs": Query.logs and Subscription.logEntries. Filled by the areas helper.
import type { GraphqlArea } from '../area.js';

export const logsArea: GraphqlArea = { typeDefs: '', resolvers: {} };
