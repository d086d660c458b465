// Puts the protections around every request: brute-force limiter, time limit and audit log.
import { createAuditLog, type AuditEntry, type AuditLog } from './audit-log.js';
import type { Logger } from '../core/logger.js';
import { HttpError } from '../core/errors.js';
import { FailureLimiter } from './rate-limit.js';
import { RefusalBudget } from './refusal-budget.js';
import type { RouteDefinition } from '../kit/routes.js';
import type { RequestState } from '../kit/transport.js';
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
  /** The REST route that answered; undefined for a transport's answer, 404 and 405. */
  route: RouteDefinition | undefined;
  /** Answered by a transport mounted beside the REST router (GraphQL), which checks tokens itself. */
  transport: boolean;
  state: RequestState;
}

export interface RequestGuard {
  /** On a route flagged `login` in routes.json: charges the request as one guess, or throws 429. */
  admit(route: RouteDefinition, state: RequestState): void;
  /**
   * What to answer when a bearer token was refused (`refusal`, the 401): 429 while the client is
   * blocked, else the refusal itself. Only refused tokens meet the limiter: a valid token is 256
   * random bits, never a guess, so a stranger's wrong guesses cannot lock its owner out.
   */
  refusedToken(refusal: unknown, clientAddress: string): unknown;
  /** Charges `count` login guesses before they run; null when charged, else the 429 (see FailureLimiter.charge). */
  chargeLoginGuesses(state: RequestState, count: number): HttpError | null;
  /** The answer of `work`, or 503 once the route's time limit (`timeLimitSeconds`, else the default) has passed. */
  inTime(work: Promise<Response>, requestId: string, route?: Pick<RouteDefinition, 'timeLimitSeconds'>): Promise<Response>;
  /**
   * Gives back the login guesses that were right, counts a refused token and writes the audit line;
   * resolves once the line is written. Null when there is nothing to write (most reads), so the
   * request does not wait a turn for nothing.
   */
  settle(outcome: RequestOutcome): Promise<void> | null;
  /** Whether a client may try a secret now (a WebSocket's wrong token): false while it is over the limit. */
  allows(clientAddress: string): boolean;
}

/** Where the limiter may answer 429: a refused token on a route that is not public, any request to a login route. */
export function isRateLimited(route: Pick<RouteDefinition, 'public' | 'login'>): boolean {
  return !route.public || route.login === true;
}

/** A presented bearer token that was refused: a guess (no header at all is none: a browser, a health check). */
function isRefusedToken({ request, status, route, transport }: RequestOutcome): boolean {
  if (route === undefined && !transport) return false;
  return (transport || route?.public === false) && status === 401 && request.headers.has('authorization');
}

/** A request to a route marked `mutates` in routes.json, or one its transport marked in the request's state. */
function isChange({ route, state }: RequestOutcome): boolean {
  return route?.mutates === true || state.audit !== undefined;
}

export function createRequestGuard(auditFile: string, log: Logger, options: GuardOptions = {}): RequestGuard {
  const limiter = options.limiter ?? new FailureLimiter();
  const audit = options.audit ?? createAuditLog(auditFile, log);
  const refusals = options.refusals ?? new RefusalBudget();
  const defaultLimit = createTimeLimit(options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, log);
  // One per distinct limit: a TimeLimit keeps its deadlines in start order, which needs one length.
  const routeLimits = new Map<number, TimeLimit>();
  const timeLimitOf = (route: Pick<RouteDefinition, 'timeLimitSeconds'> | undefined): TimeLimit => {
    if (route?.timeLimitSeconds === undefined) return defaultLimit;
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
    admit(route, state) {
      if (route.login !== true) return;
      const refused = limiter.charge(state.clientAddress, 1);
      if (refused !== null) throw refused;
      state.loginGuesses += 1;
    },
    chargeLoginGuesses(state, count) {
      const refused = limiter.charge(state.clientAddress, count);
      if (refused === null) state.loginGuesses += count;
      return refused;
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
      const { state } = outcome;
      // A REST login route says by its status whether its one guess was wrong (404); anything else was no wrong guess.
      if (outcome.route?.login === true && outcome.status !== 404) state.rightLoginGuesses = state.loginGuesses;
      // Only what was charged is given back (a token holder's logins are not charged).
      limiter.forgive(state.clientAddress, Math.min(state.rightLoginGuesses, state.loginGuesses));
      const refusedToken = isRefusedToken(outcome);
      if (refusedToken) limiter.recordFailure(state.clientAddress);
      const failedLogin = refusedToken || state.loginGuesses > state.rightLoginGuesses;
      const loggedIn = state.loginGuesses > 0 && state.rightLoginGuesses > 0 && outcome.status < 400;
      const refused = outcome.status === 401 || outcome.status === 429;
      if (!failedLogin && !refused && !isChange(outcome)) return null;
      const tokenName = state.callerName ?? null;
      const entry: AuditEntry = {
        time: new Date().toISOString(),
        tokenName,
        clientAddress: state.clientAddress,
        method: outcome.request.method,
        path: outcome.path,
        status: outcome.status,
      };
      // GraphQL: which operation, and each mutation's outcome.
      if (state.audit !== undefined) Object.assign(entry, { operation: state.audit.operation, fields: state.audit.fields });
      // What the operation said it did (kit/audit-event.ts).
      if (state.auditEvents !== undefined) entry.events = state.auditEvents;
      // A change made with a token, and a login that worked, are always written: a flood cannot crowd them out.
      // Anything else a stranger causes, whatever its status, comes out of the refusal budget.
      return tokenName === null && !loggedIn ? recordRefusal(entry) : audit.record(entry);
    },
  };
}
