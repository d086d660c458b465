// Request time limit: an answer that would take longer than the limit becomes a 503.
import { HttpError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export interface TimeLimit {
  /**
   * Resolves with `work`'s answer, or rejects with 503 once the limit has passed. The work is not
   * cancelled: a store write or a command already under way finishes (half-cancelling it could
   * leave things half-done), and how it ended is logged, never left as an unhandled rejection.
   */
  within<T>(work: Promise<T>, requestId: string): Promise<T>;
}

interface Deadline {
  at: number;
  expire(): void;
}

/**
 * Every request gets the same limit, so deadlines come in the order requests start: the set's
 * insertion order is deadline order and one timer, for the earliest, serves them all (a timer
 * and a race per request cost more than most answers).
 */
export function createTimeLimit(limitMs: number, log: Logger): TimeLimit {
  const deadlines = new Set<Deadline>();
  let timer: NodeJS.Timeout | undefined;

  const arm = (): void => {
    const earliest = deadlines.values().next().value as Deadline | undefined;
    timer = earliest === undefined ? undefined : setTimeout(expireDue, Math.max(0, earliest.at - performance.now()));
    // Pending requests hold their connections open; the timer alone need not keep the process up.
    timer?.unref();
  };

  const expireDue = (): void => {
    const now = performance.now();
    for (const deadline of deadlines) {
      if (deadline.at > now) break;
      deadlines.delete(deadline);
      deadline.expire();
    }
    arm();
  };

  const tooLong = (): HttpError =>
    new HttpError(
      503,
      { error: 'The request took too long; its work goes on in the background' },
      { 'retry-after': String(Math.max(1, Math.ceil(limitMs / 1000))) },
    );

  return {
    within(work, requestId) {
      return new Promise((resolve, reject) => {
        let timedOut = false;
        const deadline: Deadline = {
          at: performance.now() + limitMs,
          expire: () => {
            timedOut = true;
            log.warn('request over its time limit; its work goes on', { requestId, limitMs });
            reject(tooLong());
          },
        };
        deadlines.add(deadline);
        // A timer left for an earlier request that has finished fires early and re-arms itself.
        if (timer === undefined) arm();
        work.then(
          (value) => {
            if (timedOut) log.info('late request finished', { requestId });
            deadlines.delete(deadline);
            resolve(value);
          },
          (error: unknown) => {
            if (timedOut) log.warn('late request failed', { requestId, errorMessage: (error as Error)?.message });
            deadlines.delete(deadline);
            reject(error);
          },
        );
      });
    },
  };
}
