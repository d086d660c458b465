// Opening and replacing the API's files without ever following a symbolic link planted in their place.
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import fsSync from 'node:fs';
import path from 'node:path';

/**
 * A path the API writes (or reads its own records from) is a symbolic link, or lies in a folder
 * that is one. Its code is ELOOP, what the kernel answers to O_NOFOLLOW, so callers that name
 * the errno in their message name this one too.
 */
export class LinkRefusedError extends Error {
  override readonly name = 'LinkRefusedError';
  readonly code = 'ELOOP';

  constructor(readonly linkPath: string) {
    super(`${linkPath} is a symbolic link; the API does not read or write through links`);
  }
}

function isLink(file: string): boolean {
  return fsSync.lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink() === true;
}

/**
 * Throws LinkRefusedError when `file`, or any folder between `trustedFolder` (not included: the
 * root itself may be a link, as /tmp is on some systems) and `file`, is a symbolic link. A
 * missing path is no link: creating it is the caller's business.
 */
export function assertNoLinks(file: string, trustedFolder: string = path.dirname(file)): void {
  const relative = path.relative(trustedFolder, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) throw new Error(`${file} is not under ${trustedFolder}`);
  let current = trustedFolder;
  for (const part of relative.split(path.sep).filter(Boolean)) {
    current = path.join(current, part);
    if (isLink(current)) throw new LinkRefusedError(current);
  }
}

/** fs.open with O_NOFOLLOW added: a link in the file's place is refused with LinkRefusedError. */
export async function openNoFollow(file: string, flags: number, mode?: number): Promise<fs.FileHandle> {
  try {
    return await fs.open(file, flags | constants.O_NOFOLLOW, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new LinkRefusedError(file);
    throw error;
  }
}

/** The synchronous twin of openNoFollow, for the store's synchronous reads and the audit log's appends. */
export function openNoFollowSync(file: string, flags: number, mode?: number): number {
  try {
    return fsSync.openSync(file, flags | constants.O_NOFOLLOW, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new LinkRefusedError(file);
    throw error;
  }
}
