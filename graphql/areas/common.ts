// The roots of the GraphQL schema and the types every area shares: DateTime and mutation returns.
import { GraphQLScalarType, Kind } from 'graphql';
import type { GraphqlArea } from '../area.js';

/** Dates travel as ISO 8601 text; a stored date that is already text is passed as is. */
const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  description: 'Date with time, ISO 8601',
  serialize(value) {
    if (value instanceof Date) return value.toISOString();
    if (typeof value === 'string') return value;
    throw new TypeError('DateTime cannot represent this value');
  },
  parseValue(value) {
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw new TypeError('DateTime must be an ISO 8601 date');
    return new Date(value);
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING || Number.isNaN(Date.parse(ast.value))) throw new TypeError('DateTime must be an ISO 8601 date');
    return new Date(ast.value);
  },
});

// The roots are empty here: each area adds its fields with `extend type`.
const typeDefs = /* GraphQL */ `
  scalar DateTime

  type Query
  type Mutation
  type Subscription

  interface MutationReturnInterface {
    success: Boolean!
    message: String!
    code: Int!
  }

  type GenericMutationReturn implements MutationReturnInterface {
    success: Boolean!
    message: String!
    code: Int!
  }

  type GenericJobMutationReturn implements MutationReturnInterface {
    success: Boolean!
    message: String!
    code: Int!
    job: ApiJob
  }
`;

export const commonArea: GraphqlArea = { typeDefs, resolvers: { DateTime } };
