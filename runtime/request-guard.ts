// Puts the protections around every request: brute-force limiter, time limit and audit log.
import { isAuditedAsChange } from './audit-mark.js';
import { auditEventsOf } from '../kit/audit-event.js';
import { createAuditLog, type AuditEntry, type AuditLog } from './audit-log.js';
import type { Logger } from '../core/logger.js';
import { HttpError } from '../core/errors.js';
import { FailureLimiter } from './rate-limit.js';
import { auditNoted, failedLoginNoted } from './request-notes.js';
import { RefusalBudget } from './refusal-budget.js';
import type { RouteDefinition } from '../kit/routes.js';
import { createTimeLimit, DEFAULT_REQUEST_TIMEOUT_MS, type TimeLimit } from './time-limit.js';

/** Optional replacements for the production defaults (tests use small limits). */
export interface GuardOptions {
  limiter?: FailureLimiter;
  audit?: AuditLog;
  /** What anonymous refusals may write to the audit log. */
  refusals?: RefusalBudget;
  /** An answer not ready after this many milliseconds becomes a 503 (default 30 s). */
  requestTimeoutMs?: number;
}

/** How a request ended, as far as the guard needs to know. */
export interface RequestOutcome {
  request: Request;
  /** The request's path (no query). */
  path: string;
  status: number;
  /** The route that answered; undefined for 404 and 405. */
  route: RouteDefinition | undefined;
  clientAddress: string;
  tokenName: string | null;
}

export interface RequestGuard {
  /** Throws 429 on a route flagged `login` or `checksOwnToken` in routes.json when the client has failed too often. */
  admit(route: RouteDefinition, clientAddress: string): void;
  /**
   * What to answer when a bearer token was refused (`refusal`, the 401): 429 while the client is
   * blocked, else the refusal itself. Only refused tokens meet the limiter: a valid token is 256
   * random bits, never a guess, so a stranger's wrong guesses cannot lock its owner out.
   */
  refusedToken(refusal: unknown, clientAddress: string): unknown;
  /** The answer of `work`, or 503 once the route's time limit (`timeLimitSeconds`, else the default) has passed. */
  inTime(work: Promise<Response>, requestId: string, route: RouteDefinition): Promise<Response>;
  /**
   * Counts a failed login and writes the audit line; resolves once the line is written. Null when
   * there is nothing to write (most reads), so the request does not wait a turn for nothing.
   */
  settle(outcome: RequestOutcome): Promise<void> | null;
  /** Whether a client may try a secret now (a WebSocket's token): false while it is over the limit. */
  allows(clientAddress: string): boolean;
}

/** Brute-force guarded whatever the token: the login routes and those that check the token themselves (flags of routes.json). */
function isGuardedBeforeRunning(route: RouteDefinition): boolean {
  return route.login === true || route.checksOwnToken === true;
}

/** Where the limiter may answer 429: a refused token on a route that is not public, any request to a guarded public one. */
export function isRateLimited(route: RouteDefinition): boolean {
  return !route.public || isGuardedBeforeRunning(route);
}

/** A guess at a secret that was wrong: a presented bearer token refused, or a wrong mnemonic. */
function isFailedLogin({ request, status, route }: RequestOutcome): boolean {
  if (route === undefined) return false;
  if (route.login === true) return status === 404;
  // A login the function checked itself (a GraphQL login mutation with a wrong mnemonic).
  if (failedLoginNoted(request)) return true;
  // No header at all is not a guess (a browser, a health check); a wrong token is.
  return (!route.public || route.checksOwnToken === true) && status === 401 && request.headers.has('authorization');
}

/** A request to a route marked `mutates` in routes.json, or one its handler marked (runtime/audit-mark.ts). */
function isChange({ route, request }: RequestOutcome): boolean {
  return route !== undefined && (route.mutates || isAuditedAsChange(request));
}

export function createRequestGuard(auditFile: string, log: Logger, options: GuardOptions = {}): RequestGuard {
  const limiter = options.limiter ?? new FailureLimiter();
  const audit = options.audit ?? createAuditLog(auditFile, log);
  const refusals = options.refusals ?? new RefusalBudget();
  const defaultLimit = createTimeLimit(options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, log);
  // One per distinct limit: a TimeLimit keeps its deadlines in start order, which needs one length.
  const routeLimits = new Map<number, TimeLimit>();
  const timeLimitOf = (route: RouteDefinition): TimeLimit => {
    if (route.timeLimitSeconds === undefined) return defaultLimit;
    let limit = routeLimits.get(route.timeLimitSeconds);
    if (limit === undefined) {
      limit = createTimeLimit(route.timeLimitSeconds * 1000, log);
      routeLimits.set(route.timeLimitSeconds, limit);
    }
    return limit;
  };
  let summaryTimer: NodeJS.Timeout | undefined;

  const writeEndedWindow = (): Promise<void> | null => {
    const summary = refusals.endedWindow();
    return summary === null ? null : audit.record(summary);
  };
  // A window whose refusals were not all written gets its summary line when it ends, even if no refusal follows.
  const armSummary = (): void => {
    if (summaryTimer !== undefined || !refusals.hasPendingSummary()) return;
    summaryTimer = setTimeout(() => {
      summaryTimer = undefined;
      void writeEndedWindow();
      armSummary();
    }, Math.max(1000, refusals.windowEnd() - Date.now()));
    summaryTimer.unref();
  };
  /** Anyone can be refused, so refusals write what the budget allows; the rest is counted for a summary line. */
  const recordRefusal = (entry: AuditEntry): Promise<void> | null => {
    const summaryWritten = writeEndedWindow();
    if (!refusals.take(entry.clientAddress)) {
      armSummary();
      return summaryWritten;
    }
    return summaryWritten === null ? audit.record(entry) : summaryWritten.then(() => audit.record(entry));
  };

  return {
    admit(route, clientAddress) {
      if (isGuardedBeforeRunning(route)) limiter.assertAllowed(clientAddress);
    },
    refusedToken(refusal, clientAddress) {
      if (!(refusal instanceof HttpError) || refusal.status !== 401) return refusal;
      return limiter.blockedAnswer(clientAddress) ?? refusal;
    },
    allows(clientAddress) {
      return limiter.retryAfterSeconds(clientAddress) === 0;
    },
    inTime(work, requestId, route) {
      return timeLimitOf(route).within(work, requestId);
    },
    settle(outcome) {
      const failedLogin = isFailedLogin(outcome);
      if (failedLogin) limiter.recordFailure(outcome.clientAddress);
      const refused = outcome.status === 401 || outcome.status === 429;
      if (!failedLogin && !refused && !isChange(outcome)) return null;
      const entry: AuditEntry = {
        time: new Date().toISOString(),
        tokenName: outcome.tokenName,
        clientAddress: outcome.clientAddress,
        method: outcome.request.method,
        path: outcome.path,
        status: outcome.status,
      };
      // GraphQL: which operation, and each mutation's outcome.
      const detail = auditNoted(outcome.request);
      if (detail !== undefined) Object.assign(entry, { operation: detail.operation, fields: detail.fields });
      const events = auditEventsOf(outcome.request);
      if (events !== undefined) entry.events = events;
      // A change made with a token, and a login that worked, are always written: a flood cannot crowd them out.
      return outcome.tokenName === null && outcome.status >= 400 ? recordRefusal(entry) : audit.record(entry);
    },
  };
}
