// Routing on the request target alone: a fixed origin instead of the Host header, and no dot-segments.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { badRequest, type HttpError } from '../core/errors.js';
import { jsonBytes, STANDARD_HEADERS } from '../kit/respond.js';

/**
 * The host of every request's URL. @whatwg-node builds a Request's URL from the Host header and
 * the target; the header is the client's to write, so `Host: a/auth` with `GET /tokens` became
 * `/auth/tokens`, and a Host the URL parser refuses broke the request. The API serves one origin,
 * so the header plays no part (`.invalid` is reserved: the name can never mean a real host).
 */
export const FIXED_HOST = 'selfprivacy-api.invalid';

const SLASH = 47;

/**
 * Makes node:http's request say what the URL must be built from: the fixed host, and the target in
 * origin-form (`/path?query`). An absolute-form target (`http://host/path`, which RFC 9112 says a
 * server must take) is reduced to its path and query; anything else is left for `targetProblem`.
 */
export function pinRequestTarget(request: IncomingMessage): void {
  request.headers.host = FIXED_HOST;
  const target = request.url ?? '';
  if (target.charCodeAt(0) === SLASH || !/^https?:\/\//i.test(target)) return;
  try {
    const url = new URL(target);
    request.url = `${url.pathname}${url.search}`;
  } catch {
    // Not a URL: targetProblem answers it.
  }
}

/** `.` or `..`, written out or %-escaped in any case: what a URL parser resolves away. */
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/**
 * Why a target cannot be routed (a 400), or null. A URL parser resolves dot-segments, so
 * `/services/ssh/keys/%2e%2e` would quietly become `/services/ssh`, another route; a segment
 * that is `.` or `..` is refused instead. Checked on the target as the client sent it, before
 * anything parses it.
 */
export function targetProblem(target: string): HttpError | null {
  if (target.charCodeAt(0) !== SLASH) return badRequest('The request target must be a path starting with /', 'target');
  const queryAt = target.indexOf('?');
  const path = queryAt === -1 ? target : target.slice(0, queryAt);
  // Most paths have no dot and no escape at all: nothing more to look at.
  if (!path.includes('.') && !path.includes('%')) return null;
  for (const segment of path.split('/')) {
    if (DOT_SEGMENT.test(segment)) return badRequest('A path segment may not be . or ..', 'target');
  }
  return null;
}

/** Statuses for what node:http's parser refuses before any request exists; anything else is a 400. */
const PARSER_STATUSES: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout'],
};

/**
 * node:http's `clientError`: a request line or header its parser refuses (a target without a
 * leading slash, a bad header). Node would answer a bare 400 with no body; the API answers JSON
 * like everywhere else, then closes the connection (the parser cannot find the next request).
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason] = PARSER_STATUSES[error.code ?? ''] ?? [400, 'Bad Request'];
  const body = jsonBytes({ error: status === 400 ? 'Malformed request' : reason });
  const head = [`HTTP/1.1 ${status} ${reason}`, 'content-type: application/json', `content-length: ${body.length}`,
    ...Object.entries(STANDARD_HEADERS).map(([name, value]) => `${name}: ${value}`), 'connection: close'];
  socket.end(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), body]));
}
