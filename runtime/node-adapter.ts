// Connects node:http to the app: IncomingMessage → Request, the app's Response → ServerResponse.
// Request and Response are @whatwg-node's classes (cheap to build, lazy headers); the rest is a
// few lines instead of @whatwg-node/server, whose promise chain, abort signal and listeners cost
// several microseconds a request and some thirty modules at start-up, for features we do not use.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { Request } from '@whatwg-node/fetch';
import type { ServerContext } from './app.js';
import type { Logger } from './logger.js';
import { STANDARD_HEADERS } from './respond.js';

export type FetchHandler = (request: Request, server: ServerContext) => Promise<Response>;

const METHODS_WITHOUT_BODY = new Set(['GET', 'HEAD']);

/** Null for a request target that is not a path (`GET http://x/ HTTP/1.1`, `OPTIONS *`). */
function toRequest(incoming: IncomingMessage): Request | null {
  const target = incoming.url ?? '';
  if (!target.startsWith('/')) return null;
  const socket = incoming.socket;
  const host = socket.localFamily === 'IPv6' ? `[${socket.localAddress}]` : (socket.localAddress ?? 'localhost');
  const method = incoming.method ?? 'GET';
  return new Request(`http://${host}:${socket.localPort}${target}`, {
    method,
    headers: incoming.headers as Record<string, string>,
    // The body streams from the socket; runtime/body.ts reads it with its size limit.
    body: METHODS_WITHOUT_BODY.has(method) ? null : (incoming as unknown as ReadableStream),
  });
}

async function writeResponse(response: Response, outgoing: ServerResponse): Promise<void> {
  const data: unknown = await response.arrayBuffer();
  const body = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  outgoing.writeHead(response.status, headers);
  outgoing.end(body);
}

function writeFailure(outgoing: ServerResponse, status: number, message: string): void {
  if (outgoing.headersSent) {
    outgoing.destroy();
    return;
  }
  const body = JSON.stringify({ error: message });
  outgoing.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...STANDARD_HEADERS });
  outgoing.end(body);
}

export function nodeListener(fetch: FetchHandler, log: Logger): RequestListener {
  return (incoming, outgoing) => {
    const request = toRequest(incoming);
    if (request === null) {
      // The target itself is not logged: it is no path and may carry anything.
      log.info('request', { method: incoming.method, status: 400, reason: 'request target is not a path' });
      writeFailure(outgoing, 400, 'Bad request target');
      return;
    }
    fetch(request, { req: incoming })
      .then((response) => writeResponse(response, outgoing))
      .catch((error: unknown) => {
        log.error('response failed', { errorMessage: (error as Error).message });
        writeFailure(outgoing, 500, 'Internal server error');
      });
  };
}
