// What a WebSocket connection gets from the shell: its client address, the token checks, a ctx.
import type { IncomingMessage } from 'node:http';
import { authenticate, findCaller } from './auth.js';
import { clientAddress } from './client-address.js';
import type { AuditNotes, Caller, Ctx } from '../kit/context.js';
import { HttpError } from '../core/errors.js';
import type { RequestGuard } from './request-guard.js';
import { newRequestState, type SocketSession } from '../kit/transport.js';
import type { Store } from '../store/store.js';

export interface SocketSessionDependencies {
  store: Store;
  guard: RequestGuard;
  /** A ctx for `caller`, as the app builds one for a request (the store without a per-request cache). */
  context(caller: Caller, audit: AuditNotes): Ctx;
}

// A header value may hold tabs, spaces and visible bytes only; anything else is no token (but still a guess).
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** A stand-in request for the checks and the audit line: the upgrade's path and the token as its header. */
function standInRequest(path: string, authorization: unknown, forwardedFor: string | undefined): Request {
  const headers: Record<string, string> = {};
  if (typeof authorization === 'string') headers.authorization = HEADER_VALUE.test(authorization) ? authorization : 'invalid';
  if (forwardedFor !== undefined) headers['x-forwarded-for'] = forwardedFor;
  return new Request(`http://localhost${path}`, { headers });
}

export function createSocketSession(path: string, upgrade: IncomingMessage, deps: SocketSessionDependencies): SocketSession {
  const forwarded = upgrade.headers['x-forwarded-for'];
  const forwardedFor = Array.isArray(forwarded) ? forwarded.join(', ') : forwarded;
  const address = clientAddress(standInRequest(path, undefined, forwardedFor), upgrade.socket.remoteAddress);
  let operations = 0;
  return {
    clientAddress: address,
    authenticate(authorization) {
      const request = standInRequest(path, authorization, forwardedFor);
      try {
        // A valid token is checked first: the limiter only ever stops guesses, never the token's owner.
        return authenticate(request, deps.store.tokens.read());
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        // A client over the limit is refused without its guess being counted (or written) again.
        if (!deps.guard.allows(address)) return null;
        // Counted and audited as the same refusal over HTTP would be (the audit log never rejects).
        const state = newRequestState(`socket-${(operations += 1)}`, upgrade.socket.remoteAddress, address);
        void deps.guard.settle({ request, path, status: error.status, route: undefined, transport: true, state });
        return null;
      }
    },
    stillValid(token) {
      return findCaller(token, deps.store.tokens.read()) !== null;
    },
    context: deps.context,
    state: () => newRequestState(`socket-${(operations += 1)}`, upgrade.socket.remoteAddress, address),
  };
}
