// The `{success, code, message}` every mutation answers, made from an operation's value or its HttpError.
import { HttpError } from '../core/errors.js';

/** The outcome of every mutation: `code` is the HTTP status the same operation answers over REST. */
export interface MutationReturn {
  success: boolean;
  code: number;
  message: string;
}

/** A success in upstream's words; `code` as REST would answer (200, or 201 for something created). */
export function succeeded(message: string, code = 200): MutationReturn {
  return { success: true, code, message };
}

/** What an error body says to a person: its message, error or detail, in that order. */
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
 * The failed return for an operation's HttpError: its status as `code`, its own words as `message`.
 * Anything else is a fault, thrown on: graphql reports it as a field error without details.
 */
export function failureOf(error: unknown): MutationReturn {
  if (!(error instanceof HttpError)) throw error;
  return { success: false, code: error.status, message: messageOf(error.body) ?? `Failed with status ${error.status}` };
}

/**
 * Runs an operation for a mutation: `succeeded(message, code)` when it returns, the failure of its
 * HttpError when it throws one (any other error is thrown on, as by failureOf).
 */
export async function mutationOf(run: () => unknown, message: string, code = 200): Promise<MutationReturn> {
  try {
    await run();
  } catch (error) {
    return failureOf(error);
  }
  return succeeded(message, code);
}
