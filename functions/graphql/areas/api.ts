// GraphQL area "api": the dialect's version, the devices holding tokens, and the token and key mutations.
import type { GraphqlArea } from '../area.js';

/** The upstream API level whose GraphQL dialect /graphql speaks (REST /api/version stays 1.3.0). */
export const GRAPHQL_API_VERSION = '3.8.3';

const typeDefs = /* GraphQL */ `
  type Api {
    version: String!
  }

  extend type Query {
    api: Api!
  }
`;

export const apiArea: GraphqlArea = {
  typeDefs,
  resolvers: {
    Query: { api: () => ({}) },
    Api: { version: () => GRAPHQL_API_VERSION },
  },
};
