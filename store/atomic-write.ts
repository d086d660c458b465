// Replaces a file durably: temporary file in the same folder, fsync, rename, fsync of the folder.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export interface FileIdentity {
  mode: number;
  uid: number;
  gid: number;
}

/**
 * Writes `text` to `target` so that a crash at any moment leaves either the old or the new
 * content, never a mix. The new file gets the given mode and owner (the old file's).
 */
export async function writeFileAtomic(target: string, text: string, identity: FileIdentity): Promise<void> {
  const folder = path.dirname(target);
  const temporary = path.join(folder, `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const mode = identity.mode & 0o7777;
  const handle = await fs.open(temporary, 'wx', mode);
  try {
    try {
      await handle.writeFile(text, 'utf8');
      // open() honours the umask; chmod makes the mode exactly the old file's (0600 stays 0600).
      await handle.chmod(mode);
      if (process.getuid?.() === 0 && (identity.uid !== 0 || identity.gid !== 0)) {
        await handle.chown(identity.uid, identity.gid);
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
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
