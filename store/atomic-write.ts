// Replaces a file durably: temporary file in the same folder, fsync, rename, fsync of the folder.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { assertNoLinks, openNoFollow } from './no-follow.js';

export interface AtomicWriteOptions {
  /** The file's mode after every write, whatever mode the old file had (0600 stays 0600, 0644 becomes 0600). */
  mode: number;
  /** No folder below this one on the way to the file may be a symbolic link (default: only the file itself is checked). */
  trustedFolder?: string;
}

/** `.<file>.<pid>.<12 hex>.tmp`: the temporary file a write renames into place (a killed writer leaves it behind). */
export const TEMPORARY_FILE_NAME = /^\.(.+)\.(\d+)\.[0-9a-f]{12}\.tmp$/;

function temporaryPath(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Writes `text` to `target` so that a crash at any moment leaves either the old or the new
 * content, never a mix. A link in the target's place (or in a folder on the way) is refused,
 * never followed. The new file belongs to this process's user (root on a server): the owner of
 * the old file is not copied, so a file someone else made or linked can never pass its owner on.
 */
export async function writeFileAtomic(target: string, text: string, options: AtomicWriteOptions): Promise<void> {
  assertNoLinks(target, options.trustedFolder);
  const folder = path.dirname(target);
  const temporary = temporaryPath(target);
  const mode = options.mode & 0o7777;
  // O_EXCL: a link already at the temporary name is never followed either.
  const handle = await openNoFollow(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  try {
    try {
      await handle.writeFile(text, 'utf8');
      // open() honours the umask; chmod makes the mode exactly the one asked for.
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // rename() replaces whatever is at the target, a link too, and never writes into a link's target.
    await fs.rename(temporary, target);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
  await syncFolder(folder);
}

async function syncFolder(folder: string): Promise<void> {
  const handle = await fs.open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
