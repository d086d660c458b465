// Request time limit: an answer that would take longer than the limit becomes a 503.
import { HttpError } from './errors.js';
import type { Logger } from './logger.js';

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * Resolves with `work`'s answer, or rejects with 503 once `limitMs` has passed. The work is not
 * cancelled: a store write or a command already under way finishes (half-cancelling it could
 * leave things half-done), and how it ended is logged, never left as an unhandled rejection.
 */
export async function withinTimeLimit<T>(work: Promise<T>, limitMs: number, log: Logger, requestId: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      log.warn('request over its time limit; its work goes on', { requestId, limitMs });
      reject(
        new HttpError(
          503,
          { error: 'The request took too long; its work goes on in the background' },
          { 'retry-after': String(Math.max(1, Math.ceil(limitMs / 1000))) },
        ),
      );
    }, limitMs);
  });
  const settled = work.then(
    (value) => {
      if (timedOut) log.info('late request finished', { requestId });
      return value;
    },
    (error: unknown) => {
      if (timedOut) log.warn('late request failed', { requestId, errorMessage: (error as Error)?.message });
      throw error;
    },
  );
  // After the deadline nobody awaits `settled`; this keeps its failure from going unhandled.
  settled.catch(() => undefined);
  try {
    return await Promise.race([settled, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
