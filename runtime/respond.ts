// Builds JSON responses; every answer of the API is JSON.
// The Response class is @whatwg-node's, the one the server adapter writes out directly: a string
// body with every header given up front goes to node:http in one writeHead and one write, where a
// global (undici) Response costs tens of microseconds to build and is then read back as a stream.
import { Response } from '@whatwg-node/fetch';

/** Headers every answer carries (the runtime adds them to responses not built here). */
export const STANDARD_HEADERS: Readonly<Record<string, string>> = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' };

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  const text = JSON.stringify(body) ?? '';
  return new Response(text, {
    status,
    headers: {
      'content-type': 'application/json',
      // Given here, so the Response never has to rebuild its header map to add it.
      'content-length': String(Buffer.byteLength(text)),
      ...STANDARD_HEADERS,
      ...headers,
    },
  });
}
