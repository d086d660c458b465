// The shape every GraphQL area file exports: its part of the schema and the resolvers behind it.
import type { GraphQLResolveInfo, GraphQLScalarType } from 'graphql';
import type { Ctx } from '../kit/context.js';
import type { RequestState } from '../kit/transport.js';

/** What every resolver receives as its context. */
export interface ResolverContext {
  /** The services, and `ctx.caller` when a valid token was presented. */
  ctx: Ctx;
  /** The HTTP request the operation came in (for a subscription: a stand-in for the connection). */
  request: Request;
  /** The shell's state of this request: what the guard and the audit read when it ends (login guesses). */
  state: RequestState;
}

/** A field's resolver; `any` parent and arguments because graphql has checked them against the schema. */
export type FieldResolver = (parent: any, args: any, context: ResolverContext, info: GraphQLResolveInfo) => unknown;

/** A subscription field: `subscribe` gives the stream, `resolve` (optional) maps each item. */
export interface SubscriptionResolver {
  subscribe: (parent: any, args: any, context: ResolverContext, info: GraphQLResolveInfo) => AsyncIterable<unknown> | Promise<AsyncIterable<unknown>>;
  resolve?: FieldResolver;
}

/** Resolvers by type name, then field name; a scalar's entry is its GraphQLScalarType. */
export type AreaResolvers = Record<string, GraphQLScalarType | Record<string, FieldResolver | SubscriptionResolver>>;

export interface GraphqlArea {
  /** SDL: `type …` for the area's own types and `extend type Query/Mutation/Subscription { … }`. */
  typeDefs: string;
  resolvers: AreaResolvers;
}
