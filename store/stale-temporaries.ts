// Removes the temporary files a writer killed mid-write left beside the API's files (`.<file>.<pid>.<hex>.tmp`).
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../core/logger.js';
import { TEMPORARY_FILE_NAME } from './atomic-write.js';
import type { ServerPaths } from './server-paths.js';

/** No write takes this long: a temporary file this old is stale even if its pid now names another process. */
const SURELY_STALE_MS = 3_600_000;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The folders the API writes atomically into. */
export function atomicWriteFolders(paths: ServerPaths): string[] {
  return [...new Set([path.dirname(paths.userdata), path.dirname(paths.tokens), path.dirname(paths.jobs), paths.backupWorkFolder, path.dirname(paths.rcloneConfig)])];
}

/**
 * Deletes each temporary file whose writer is gone (its pid runs no more, or the file is an hour
 * old). One whose writer still runs (a second API process, a migration) is left to it. unlink
 * removes a link itself, never what it points at. Returns how many were removed.
 */
export function removeStaleTemporaries(folders: readonly string[], log: Logger, nowMs = Date.now()): number {
  let removed = 0;
  for (const folder of folders) {
    let names: string[];
    try {
      names = fs.readdirSync(folder);
    } catch {
      continue; // a folder not made yet holds nothing
    }
    for (const name of names) {
      const match = name.match(TEMPORARY_FILE_NAME);
      if (match === null) continue;
      const file = path.join(folder, name);
      const stat = fs.lstatSync(file, { throwIfNoEntry: false });
      if (stat === undefined) continue;
      const pid = Number(match[2]);
      const writerGone = pid !== process.pid && !isRunning(pid);
      if (!writerGone && nowMs - stat.mtimeMs < SURELY_STALE_MS) continue;
      try {
        fs.unlinkSync(file);
        removed++;
      } catch (error) {
        log.warn('stale temporary file could not be removed', { file, code: (error as NodeJS.ErrnoException).code ?? 'unknown' });
      }
    }
  }
  if (removed > 0) log.info('removed temporary files left by an interrupted write', { count: removed });
  return removed;
}
