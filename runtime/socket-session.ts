// What a WebSocket connection gets from the runtime: its client address, the token check, a ctx.
import type { IncomingMessage } from 'node:http';
import { authenticate } from './auth.js';
import { clientAddress } from './client-address.js';
import type { Caller, Ctx, SocketSession } from '../kit/context.js';
import { HttpError } from '../core/errors.js';
import type { RequestGuard } from './request-guard.js';
import type { RouteDefinition } from '../kit/routes.js';
import type { Store } from '../store/store.js';

export interface SocketSessionDependencies {
  store: Store;
  guard: RequestGuard;
  /** A ctx for `caller`, as the app builds one for a request (the store without a per-request cache). */
  context(caller: Caller): Ctx;
}

// A header value may hold tabs, spaces and visible bytes only; anything else is no token (but still a guess).
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** A stand-in request for the checks and the audit line: the upgrade's path and the token as its header. */
function standInRequest(route: RouteDefinition, authorization: unknown, forwardedFor: string | undefined): Request {
  const headers: Record<string, string> = {};
  if (typeof authorization === 'string') headers.authorization = HEADER_VALUE.test(authorization) ? authorization : 'invalid';
  if (forwardedFor !== undefined) headers['x-forwarded-for'] = forwardedFor;
  return new Request(`http://localhost${route.path}`, { headers });
}

export function createSocketSession(route: RouteDefinition, upgrade: IncomingMessage, deps: SocketSessionDependencies): SocketSession {
  const forwarded = upgrade.headers['x-forwarded-for'];
  const forwardedFor = Array.isArray(forwarded) ? forwarded.join(', ') : forwarded;
  const address = clientAddress(standInRequest(route, undefined, forwardedFor), upgrade.socket.remoteAddress);
  return {
    clientAddress: address,
    authenticate(authorization) {
      if (!deps.guard.allows(address)) return null;
      const request = standInRequest(route, authorization, forwardedFor);
      try {
        return authenticate(request, deps.store.tokens.read());
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        // Counted and audited as the same refusal over HTTP would be (the audit log never rejects).
        void deps.guard.settle({ request, path: route.path, status: error.status, route, clientAddress: address, tokenName: null });
        return null;
      }
    },
    context: deps.context,
  };
}
