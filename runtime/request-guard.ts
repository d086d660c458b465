// Puts the protections around every request: brute-force limiter, time limit and audit log.
import { MUTATING_METHODS } from './http-methods.js';
import { createAuditLog, type AuditLog } from './audit-log.js';
import type { Logger } from './logger.js';
import { FailureLimiter } from './rate-limit.js';
import { auditNoted, failedLoginNoted } from './request-notes.js';
import type { RouteDefinition } from './routes.js';
import { createTimeLimit, DEFAULT_REQUEST_TIMEOUT_MS } from './time-limit.js';

/** Optional replacements for the production defaults (tests use small limits). */
export interface GuardOptions {
  limiter?: FailureLimiter;
  audit?: AuditLog;
  /** An answer not ready after this many milliseconds becomes a 503 (default 30 s). */
  requestTimeoutMs?: number;
}

/** How a request ended, as far as the guard needs to know. */
export interface RequestOutcome {
  request: Request;
  status: number;
  /** The route that answered; undefined for 404 and 405. */
  route: RouteDefinition | undefined;
  clientAddress: string;
  tokenName: string | null;
}

export interface RequestGuard {
  /** Throws 429 when the client has failed too often on a route that checks a secret. */
  admit(route: RouteDefinition, clientAddress: string): void;
  /** The answer of `work`, or 503 once the time limit has passed. */
  inTime(work: Promise<Response>, requestId: string): Promise<Response>;
  /**
   * Counts a failed login and writes the audit line; resolves once the line is written. Null when
   * there is nothing to write (most reads), so the request does not wait a turn for nothing.
   */
  settle(outcome: RequestOutcome): Promise<void> | null;
  /** Whether a client may try a secret now (a WebSocket's token): false while it is over the limit. */
  allows(clientAddress: string): boolean;
}

/** Public routes that check a secret (a mnemonic): a wrong guess answers 404 there. */
const LOGIN_ROUTES = new Set(['POST /auth/new_device/authorize', 'POST /auth/recovery_token/use']);

/**
 * Public routes whose function checks the bearer token itself for most of what it serves, and
 * says what to audit (GraphQL: mutations, not queries; see runtime/request-notes.ts).
 */
const SELF_GUARDED_ROUTES = new Set(['GET /graphql', 'POST /graphql']);

function isSelfGuarded(route: RouteDefinition | undefined): boolean {
  return route !== undefined && route.public && SELF_GUARDED_ROUTES.has(`${route.method} ${route.path}`);
}

// Asked twice per request: remembered per route rather than building its name each time.
const loginRouteVerdicts = new WeakMap<RouteDefinition, boolean>();

function isLoginRoute(route: RouteDefinition): boolean {
  let login = loginRouteVerdicts.get(route);
  if (login === undefined) {
    login = LOGIN_ROUTES.has(`${route.method} ${route.path}`);
    loginRouteVerdicts.set(route, login);
  }
  return login;
}

/** A guess at a secret that was wrong: a presented bearer token refused, or a wrong mnemonic. */
function isFailedLogin({ request, status, route }: RequestOutcome): boolean {
  if (route === undefined) return false;
  if (isLoginRoute(route)) return status === 404;
  // A login the function checked itself (a GraphQL login mutation with a wrong mnemonic).
  if (failedLoginNoted(request)) return true;
  // No header at all is not a guess (a browser, a health check); a wrong token is.
  return (!route.public || isSelfGuarded(route)) && status === 401 && request.headers.has('authorization');
}

export function createRequestGuard(auditFile: string, log: Logger, options: GuardOptions = {}): RequestGuard {
  const limiter = options.limiter ?? new FailureLimiter();
  const audit = options.audit ?? createAuditLog(auditFile, log);
  const timeLimit = createTimeLimit(options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, log);
  return {
    admit(route, clientAddress) {
      if (!route.public || isLoginRoute(route) || isSelfGuarded(route)) limiter.assertAllowed(clientAddress);
    },
    allows(clientAddress) {
      return limiter.retryAfterSeconds(clientAddress) === 0;
    },
    inTime(work, requestId) {
      return timeLimit.within(work, requestId);
    },
    settle(outcome) {
      const failedLogin = isFailedLogin(outcome);
      if (failedLogin) limiter.recordFailure(outcome.clientAddress);
      const refused = outcome.status === 401 || outcome.status === 429;
      // A self-guarded route's function says whether the request changed things (a mutation).
      const detail = auditNoted(outcome.request);
      const mutating = isSelfGuarded(outcome.route) ? detail !== undefined : MUTATING_METHODS.has(outcome.request.method);
      if (!failedLogin && !refused && !mutating) return null;
      return audit.record({
        time: new Date().toISOString(),
        tokenName: outcome.tokenName,
        clientAddress: outcome.clientAddress,
        method: outcome.request.method,
        path: new URL(outcome.request.url).pathname,
        status: outcome.status,
        ...(detail === undefined ? {} : { operation: detail.operation, fields: detail.fields }),
      });
    },
  };
}
