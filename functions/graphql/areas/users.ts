// GraphQL area "users": the users of userdata.json and their SSH keys, over the REST user functions.
import type { GraphqlArea } from '../area.js';

export const usersArea: GraphqlArea = { typeDefs: '', resolvers: {} };
