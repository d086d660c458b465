// Runs a REST function unit for a resolver, so GraphQL shares its validation, writes and commands.
// @whatwg-node's Request, as the runtime's: a global (undici) one is slower to build.
import { Request } from '@whatwg-node/fetch';
import { functionCtx, type FunctionHandler } from '../kit/context.js';
import { HttpError } from '../core/errors.js';
import type { ResolverContext } from './area.js';
import type { MutationReturn } from './mutation-return.js';

export type { MutationReturn } from './mutation-return.js';

export interface FunctionCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** The REST path the call stands for. */
  path: string;
  /** Path parameters, as the router would have decoded them. */
  params?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as the JSON body. */
  body?: unknown;
}

export interface FunctionOutcome {
  status: number;
  /** The parsed JSON answer; the text itself when it is not JSON; undefined when empty. */
  body: unknown;
}

function requestFor(call: FunctionCall): Request {
  const url = new URL(`http://127.0.0.1${call.path}`);
  for (const [name, value] of Object.entries(call.query ?? {})) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  const hasBody = call.body !== undefined;
  return new Request(url, {
    method: call.method,
    body: hasBody ? JSON.stringify(call.body) : undefined,
    headers: hasBody ? { 'content-type': 'application/json' } : {},
  });
}

async function parsedBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Calls `handler` (the default export a REST route uses) with a plain Request and the resolver's
 * ctx, its params replaced. A thrown HttpError becomes its status and body, as the runtime would
 * answer it; any other error is thrown on (graphql reports it as a field error, never a 5xx).
 */
export async function callFunction(handler: FunctionHandler, rctx: ResolverContext, call: FunctionCall): Promise<FunctionOutcome> {
  const ctx = functionCtx(rctx.ctx, rctx.ctx.caller, call.params ?? {});
  try {
    const response = await handler(requestFor(call), ctx);
    return { status: response.status, body: await parsedBody(response) };
  } catch (error) {
    if (error instanceof HttpError) return { status: error.status, body: error.body };
    throw error;
  }
}

function messageOf(body: unknown): string | undefined {
  if (typeof body === 'string' && body !== '') return body;
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  for (const key of ['message', 'error', 'detail']) {
    if (typeof record[key] === 'string' && record[key] !== '') return record[key];
  }
  return undefined;
}

/**
 * `{success, code, message}` for an outcome: success for 2xx with `okMessage` (upstream's words);
 * a failure says why in the body's own words (its message, error or detail).
 */
export function mutationReturn(outcome: FunctionOutcome, okMessage: string): MutationReturn {
  const success = outcome.status >= 200 && outcome.status < 300;
  const message = success ? okMessage : (messageOf(outcome.body) ?? `Failed with status ${outcome.status}`);
  return { success, code: outcome.status, message };
}
