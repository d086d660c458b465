// A query's view of a REST unit: its body when it answered 2xx, else a field error with the unit's own words.
import type { FunctionHandler } from '../../kit/context.js';
import type { ResolverContext } from '../area.js';
import { callFunction, mutationReturn, type FunctionCall } from '../call-function.js';

/** Runs the unit as its GET route would; a non-2xx answer becomes a GraphQL field error (never a 5xx). */
export async function restBody<T>(handler: FunctionHandler, rctx: ResolverContext, call: Omit<FunctionCall, 'method'>): Promise<T> {
  const outcome = await callFunction(handler, rctx, { method: 'GET', ...call });
  if (outcome.status >= 200 && outcome.status < 300) return outcome.body as T;
  throw new Error(mutationReturn(outcome, '').message);
}
