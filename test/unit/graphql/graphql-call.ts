// Calls the /graphql function unit with a plain Request, as the GraphQL unit tests do.
import type { Ctx, FunctionHandler } from '../../../kit/context.js';
import { call } from '../../helpers/function-call.js';

export interface GqlOptions {
  variables?: Record<string, unknown>;
  operationName?: string;
  /** A bearer token; none when absent. */
  token?: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
}

export interface GqlAnswer {
  status: number;
  body: any;
  headers: Headers;
  /** The request sent (the pipeline's notes about it are keyed on it). */
  request: Request;
}

/** Sends `query` (POST JSON by default, GET with a query string when asked) and reads the answer. */
export async function gql(handler: FunctionHandler, ctx: Ctx, query: string, options: GqlOptions = {}): Promise<GqlAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let request: Request;
  if (options.method === 'GET') {
    const url = new URL('http://127.0.0.1/graphql');
    url.searchParams.set('query', query);
    if (options.variables !== undefined) url.searchParams.set('variables', JSON.stringify(options.variables));
    if (options.operationName !== undefined) url.searchParams.set('operationName', options.operationName);
    request = new Request(url, { headers });
  } else {
    headers['content-type'] = 'application/json';
    const body = JSON.stringify({ query, variables: options.variables, operationName: options.operationName });
    request = new Request('http://127.0.0.1/graphql', { method: 'POST', body, headers });
  }
  const { status, body, response } = await call(handler, request, ctx);
  return { status, body, headers: response.headers, request };
}
