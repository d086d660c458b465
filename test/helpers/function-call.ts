// Calls a function file directly with a Request and a ctx built on a temporary root.
import type { Ctx, FunctionHandler } from '../../kit/context.js';
import { errorResponse } from '../../runtime/app.js';
import { expectDocumentedStatus } from './documented-status.js';
import { testServices } from './services.js';
import type { TempRoot } from './temp-root.js';

/** The first token of the example tokens.json (device "primary_token"). */
export const PRIMARY_TOKEN = 'Yk8z8C3mJm2mGQyQm0c9o0tT2h2n3Q6VbZl6s1f5Uu4';

/** A well-formed 12-word mnemonic (valid checksum) that is nobody's token: a wrong login guess. */
export const WRONG_MNEMONIC = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

// Many tests take the runner from here, beside makeCtx.
export { fakeRunner, type RecordedCommand } from './fake-runner.js';

/** A function's ctx on `temp`: the test services (test/helpers/services.ts), the primary token's device as caller. */
export function makeCtx(temp: TempRoot, overrides: Partial<Ctx> = {}): Ctx {
  return {
    ...testServices(temp, overrides),
    caller: { name: 'primary_token', token: PRIMARY_TOKEN },
    params: {},
    audit: {},
    ...overrides,
  };
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as is (for malformed-JSON tests). */
  rawBody?: string;
  headers?: Record<string, string>;
}

export function jsonRequest(method: string, path: string, options: RequestOptions = {}): Request {
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  return new Request(`http://127.0.0.1${path}`, {
    method,
    body,
    headers: { 'content-type': 'application/json', ...options.headers },
  });
}

/**
 * Runs a function as the runtime would: thrown errors become their JSON answers. A routed function's
 * status must be one its `responses` export documents (the OpenAPI document is built from it).
 */
export async function call(handler: FunctionHandler, request: Request, ctx: Ctx): Promise<{ status: number; body: any; response: Response }> {
  let response: Response;
  try {
    response = await handler(request, ctx);
  } catch (error) {
    response = errorResponse(error, ctx.log, 'test');
  }
  await expectDocumentedStatus(handler, response.status, request);
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text), response };
}
