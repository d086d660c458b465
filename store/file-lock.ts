// Cross-process lock on a file (proper-lockfile), waiting only while another process holds it.
import { setTimeout as sleep } from 'node:timers/promises';

// Loaded by the first write rather than at start-up: with graceful-fs and signal-exit it is
// start-up time a server that is only read from never needs, and a write (fsync) hardly notices.
let lockfileLoading: Promise<typeof import('proper-lockfile')> | undefined;
const properLockfile = (): Promise<typeof import('proper-lockfile')> =>
  (lockfileLoading ??= import('proper-lockfile').then((module) => module.default));

export interface FileLockOptions {
  /** A lock not refreshed for this long is taken over (its holder died). */
  staleMs: number;
  onCompromised: (error: Error) => void;
}

/** About 19 s of waiting in all: a few quick tries, then one every 100 ms. */
const MAX_ATTEMPTS = 200;
const backoffMs = (attempt: number): number => Math.min(5 * 1.3 ** attempt, 100);

/**
 * Locks `file` (through the folder `<file>.lock`) and returns the release function. A lock held by
 * another process is waited for, and taken over once stale; any other failure (a read-only or
 * full disk) is thrown at once: retrying it, as proper-lockfile's own retries would, only makes
 * the client wait for the same error.
 */
export async function lockFile(file: string, options: FileLockOptions): Promise<() => Promise<void>> {
  const lockfile = await properLockfile();
  for (let attempt = 1; ; attempt++) {
    try {
      return await lockfile.lock(file, { realpath: false, stale: options.staleMs, retries: 0, onCompromised: options.onCompromised });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED' || attempt >= MAX_ATTEMPTS) throw error;
      await sleep(backoffMs(attempt));
    }
  }
}
