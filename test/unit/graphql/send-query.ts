// Sends a query written in a test (not one of the app's) to the /graphql unit with a valid token.
import { graphqlEndpoint } from './graphql-call.js';
import type { Ctx } from '../../../kit/context.js';
import { PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { gql, type GqlAnswer } from './graphql-call.js';

export function sendQuery(ctx: Ctx, query: string, variables?: Record<string, unknown>): Promise<GqlAnswer> {
  return gql(graphqlEndpoint, ctx, query, { variables, token: PRIMARY_TOKEN });
}
