// A restore that never writes outside the snapshot's own tree: restic fills a root-only staging folder, then each entry is moved into the root without following a link.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { assertNoLinks } from '../store/no-follow.js';

/**
 * Why: restic restores by path and follows whatever symbolic links it meets on the way. A local
 * user who can write under var/ may swap a backed-up folder for a link to etc/nixos/userdata, and
 * the owner's restore would then write the backup's files there as root.
 *
 * How: restic writes into a folder only root can enter, so nothing a user does can redirect it.
 * The staged tree is then merged into the root folder by folder. Each folder of the root is opened
 * with O_NOFOLLOW and kept open; entries are moved through `/proc/self/fd/<fd>/<name>`, which the
 * kernel resolves from the open folder itself (as openat/renameat would), so a folder swapped for
 * a link after it was looked at still cannot redirect a write. rename() replaces a link at the
 * destination; it never writes into its target. A folder of the backup that meets a link or a file
 * in the root is not restored, and named in the report.
 */

/** What moving the staged tree in did. */
export interface StagedMoveReport {
  /** Entries moved (a folder that did not exist counts once, with everything in it). */
  moved: number;
  /** Paths (relative to the root) not restored, each with why: a link or a file stands where the backup has a folder, and the like. */
  refused: string[];
}

/** The staging folder: inside the API's own state (never backed up, never restored), on the same disk as var in most setups. */
export function restoreStagingFolder(apiStateFolder: string): string {
  return path.join(apiStateFolder, 'restore-staging');
}

/**
 * Makes an empty staging folder that only root can enter (0700, owned by this process), after
 * removing any left by an earlier restore. `root` is the server root: no folder below it on the
 * way to the staging folder may be a link.
 */
export function prepareRestoreStaging(root: string, staging: string): void {
  assertNoLinks(staging, root);
  removeRestoreStaging(staging);
  fs.mkdirSync(path.dirname(staging), { recursive: true, mode: 0o700 });
  fs.mkdirSync(staging, { mode: 0o700 });
  // mkdir honours the umask and keeps an existing folder's mode: make sure it is owner-only.
  fs.chmodSync(staging, 0o700);
}

/** Removes the staging folder and what is left in it; rm never follows the links it removes. */
export function removeRestoreStaging(staging: string): void {
  fs.rmSync(staging, { recursive: true, force: true });
}

const PROC_FD = '/proc/self/fd';
const at = (folder: number, name: string): string => `${PROC_FD}/${folder}/${name}`;

function openFolderNoFollow(file: string): number {
  return fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW);
}

function isUnder(relative: string, kept: string): boolean {
  return relative === kept || relative.startsWith(`${kept}/`);
}

/**
 * Moves everything under `staging` into `root` at the same relative paths, merging into folders
 * that exist. `keepOut` are paths relative to the root that are never written (the API's own
 * records). The staging folder is left holding whatever was not moved; remove it afterwards.
 */
export function moveStagedTree(staging: string, root: string, keepOut: readonly string[] = []): StagedMoveReport {
  if (!fs.existsSync(PROC_FD)) throw new Error('a safe restore needs /proc (Linux): nothing was moved');
  const report: StagedMoveReport = { moved: 0, refused: [] };
  const source = openFolderNoFollow(staging);
  // The root itself may be reached through a link (it is the trusted starting point, as SELFPRIVACY_ROOT names it).
  const target = fs.openSync(root, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
  try {
    mergeFolder(source, target, '', keepOut, report);
  } finally {
    fs.closeSync(source);
    fs.closeSync(target);
  }
  return report;
}

function mergeFolder(source: number, target: number, relative: string, keepOut: readonly string[], report: StagedMoveReport): void {
  for (const name of fs.readdirSync(`${PROC_FD}/${source}`)) {
    const entry = relative === '' ? name : `${relative}/${name}`;
    if (keepOut.some((kept) => isUnder(entry, kept))) continue;
    try {
      mergeEntry(source, target, name, entry, keepOut, report);
    } catch (error) {
      report.refused.push(`${entry} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }
}

function mergeEntry(source: number, target: number, name: string, entry: string, keepOut: readonly string[], report: StagedMoveReport): void {
  const staged = fs.lstatSync(at(source, name));
  const present = fs.lstatSync(at(target, name), { throwIfNoEntry: false });
  if (staged.isDirectory()) {
    if (present === undefined) return moveEntry(source, target, name, staged, entry, keepOut, report);
    if (present.isSymbolicLink()) return void report.refused.push(`${entry} (a symbolic link stands where the backup has a folder)`);
    if (!present.isDirectory()) return void report.refused.push(`${entry} (a file stands where the backup has a folder)`);
    // O_NOFOLLOW again: the folder may have been swapped for a link since lstat looked at it.
    const into = openFolderNoFollow(at(target, name));
    const from = openFolderNoFollow(at(source, name));
    try {
      mergeFolder(from, into, entry, keepOut, report);
    } finally {
      fs.closeSync(from);
      fs.closeSync(into);
    }
    return;
  }
  if (present?.isDirectory() === true) return void report.refused.push(`${entry} (a folder stands where the backup has a file)`);
  moveEntry(source, target, name, staged, entry, keepOut, report);
}

/** rename() within one file system; a copy where the root folder is another mount (a service's data volume). */
function moveEntry(source: number, target: number, name: string, staged: fs.Stats, entry: string, keepOut: readonly string[], report: StagedMoveReport): void {
  try {
    fs.renameSync(at(source, name), at(target, name));
    report.moved++;
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
  }
  if (staged.isDirectory()) {
    fs.mkdirSync(at(target, name));
    const into = openFolderNoFollow(at(target, name));
    const from = openFolderNoFollow(at(source, name));
    try {
      fs.fchmodSync(into, staged.mode & 0o7777);
      fs.fchownSync(into, staged.uid, staged.gid);
      mergeFolder(from, into, entry, keepOut, report);
    } finally {
      fs.closeSync(from);
      fs.closeSync(into);
    }
    return;
  }
  copyAcross(source, target, name, staged);
  report.moved++;
}

/** Copies a file or a link to a temporary name beside its place (never following a link there), then renames it in. */
function copyAcross(source: number, target: number, name: string, staged: fs.Stats): void {
  const temporary = `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  if (staged.isSymbolicLink()) {
    fs.symlinkSync(fs.readlinkSync(at(source, name)), at(target, temporary));
  } else if (staged.isFile()) {
    // COPYFILE_EXCL: the destination is created new (O_EXCL), so no link there is followed.
    fs.copyFileSync(at(source, name), at(target, temporary), fs.constants.COPYFILE_EXCL);
    const copied = fs.openSync(at(target, temporary), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    try {
      fs.fchmodSync(copied, staged.mode & 0o7777);
    } finally {
      fs.closeSync(copied);
    }
  } else {
    throw new Error('not a file, folder or link: left out');
  }
  try {
    fs.lchownSync(at(target, temporary), staged.uid, staged.gid);
    fs.lutimesSync(at(target, temporary), staged.atime, staged.mtime);
    fs.renameSync(at(target, temporary), at(target, name));
  } catch (error) {
    fs.rmSync(at(target, temporary), { force: true });
    throw error;
  }
}

/** The job's error message for paths a restore left out, or null when everything was restored. */
export function refusedPathsMessage(report: StagedMoveReport): string | null {
  if (report.refused.length === 0) return null;
  const shown = report.refused.slice(0, 5).join('; ');
  const more = report.refused.length > 5 ? `; and ${report.refused.length - 5} more` : '';
  return `The restore finished, but ${report.refused.length} path(s) were not restored because the server has something else in their place (links are never followed): ${shown}${more}`;
}
