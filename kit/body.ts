// Reads a request body once, with a size limit, and remembers the parsed JSON for the function.
import { MUTATING_METHODS } from './http-methods.js';
import { HttpError, badRequest } from '../core/errors.js';

export const MAX_BODY_BYTES = 64 * 1024;

/** Methods whose JSON body the runtime reads (and limits) before the function runs. */
export const METHODS_WITH_BODY = MUTATING_METHODS;

const parsedBodies = new WeakMap<Request, unknown>();

/**
 * The body as text, reading no more than `limit` bytes; null when it is larger. A declared length
 * over the limit is refused before a byte is read; a stream is cancelled once it passes it.
 */
export async function readTextWithin(request: Request, limit: number): Promise<string | null> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) return null;
  // Node's HTTP parser ends a body at its declared length, so a declared body is within the limit:
  // read in one go (a stream reader costs more than a small body's whole request).
  if (request.headers.has('content-length')) return request.text();
  if (request.body === null) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readLimitedText(request: Request, limit: number): Promise<string> {
  const text = await readTextWithin(request, limit);
  if (text === null) throw new HttpError(413, { error: `Request body larger than ${limit} bytes` });
  return text;
}

/** The Content-Type without its parameters, in lower case; '' when there is none. */
function mediaTypeOf(request: Request): string {
  const type = request.headers.get('content-type');
  return type === null ? '' : (type.split(';', 1)[0] as string).trim().toLowerCase();
}

/**
 * A body must say it is JSON. A web page can make a browser POST a text/plain body to any address
 * without asking first (a CORS "simple request"), so a login route that took such a body would
 * let any page spend the owner's failed-login budget. `application/json` (with parameters such
 * as charset, in any case) makes the browser ask the server first, and the server never says yes.
 */
function assertJsonContentType(request: Request): void {
  if (mediaTypeOf(request) !== 'application/json') {
    throw new HttpError(415, { error: 'A request body must be sent with Content-Type: application/json' });
  }
}

/**
 * Returns the request's JSON body (undefined when empty). The runtime calls this before the
 * function runs so size and syntax errors answer 413/400 up front; a unit test's plain Request
 * is read here on first use.
 */
export async function readJsonBody(request: Request): Promise<unknown> {
  if (parsedBodies.has(request)) return parsedBodies.get(request);
  const text = await readLimitedText(request, MAX_BODY_BYTES);
  let value: unknown;
  if (text.trim() === '') {
    value = undefined;
  } else {
    assertJsonContentType(request);
    try {
      value = JSON.parse(text);
    } catch {
      throw badRequest('Malformed JSON body', 'body');
    }
  }
  parsedBodies.set(request, value);
  return value;
}

const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';
const parsedForms = new WeakMap<Request, URLSearchParams>();

/**
 * Returns the request's HTML form fields, for the few routes that routes.json marks `formBody`
 * (a page of ours whose form a browser posts without a script). Same size limit as JSON; any
 * other content type is a 415. Such a route must itself refuse posts from other sites (see the
 * reason JSON is asked for everywhere else, above): the browser says where a form came from.
 */
export async function readFormBody(request: Request): Promise<URLSearchParams> {
  const known = parsedForms.get(request);
  if (known !== undefined) return known;
  const text = await readLimitedText(request, MAX_BODY_BYTES);
  // Nothing sent is an empty form (as an empty JSON body is undefined), whatever its type.
  if (text !== '' && mediaTypeOf(request) !== FORM_MEDIA_TYPE) {
    throw new HttpError(415, { error: `A form must be sent with Content-Type: ${FORM_MEDIA_TYPE}` });
  }
  const fields = new URLSearchParams(text);
  parsedForms.set(request, fields);
  return fields;
}
