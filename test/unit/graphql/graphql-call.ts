// Sends GraphQL requests to /graphql through the shell (createApp, its guard and audit) on a test ctx's services.
import { expect } from 'vitest';
import { GRAPHQL_PATH, createGraphqlTransport } from '../../../graphql/graphql.js';
import type { Ctx } from '../../../kit/context.js';
import { createApp, type App } from '../../../runtime/app.js';
import type { GuardOptions } from '../../../runtime/request-guard.js';
import { peerContext } from '../../helpers/in-process-app.js';
import { testPipeline } from '../../helpers/services.js';

export interface GqlOptions {
  variables?: Record<string, unknown>;
  operationName?: string;
  /** A bearer token; none when absent. */
  token?: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** The client's address (the socket peer); 127.0.0.1 when absent. */
  peer?: string;
}

export interface GqlAnswer {
  status: number;
  body: any;
  headers: Headers;
}

/** Every status /graphql documents (the OpenAPI description the transport gives the shell). */
const DOCUMENTED = new Set(createGraphqlTransport().described.flatMap((route) => Object.keys(route.module.responses ?? {}).map(Number)));

// One app per test ctx: its guard (limiter, refusal budget) lives as long as the ctx, as a server's would.
const apps = new WeakMap<Ctx, App>();

/** The shell on `ctx`'s services, with the GraphQL transport mounted; `guard` replaces the production limits. */
export function graphqlApp(ctx: Ctx, guard?: GuardOptions): App {
  let app = apps.get(ctx);
  if (app === undefined || guard !== undefined) {
    app = createApp(testPipeline(ctx, guard));
    apps.set(ctx, app);
  }
  return app;
}

/** Sends one request to /graphql as a client at `peer` would. */
export async function graphqlEndpoint(request: Request, ctx: Ctx, peer = '127.0.0.1'): Promise<Response> {
  return graphqlApp(ctx).fetch(request, peerContext(peer));
}

/** The request `gql` sends: POST JSON by default, GET with a query string when asked. */
export function graphqlRequest(query: string, options: GqlOptions = {}): Request {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.method === 'GET') {
    const url = new URL(`http://127.0.0.1${GRAPHQL_PATH}`);
    url.searchParams.set('query', query);
    if (options.variables !== undefined) url.searchParams.set('variables', JSON.stringify(options.variables));
    if (options.operationName !== undefined) url.searchParams.set('operationName', options.operationName);
    return new Request(url, { headers });
  }
  headers['content-type'] ??= 'application/json';
  const body = JSON.stringify({ query, variables: options.variables, operationName: options.operationName });
  return new Request(`http://127.0.0.1${GRAPHQL_PATH}`, { method: 'POST', body, headers });
}

/** Sends `query` and reads the answer, whose status must be one /graphql documents. */
export async function gql(endpoint: typeof graphqlEndpoint, ctx: Ctx, query: string, options: GqlOptions = {}): Promise<GqlAnswer> {
  const response = await endpoint(graphqlRequest(query, options), ctx, options.peer);
  expect(DOCUMENTED, `/graphql answered ${response.status}, which it does not document`).toContain(response.status);
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text), headers: response.headers };
}
