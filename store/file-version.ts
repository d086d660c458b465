// Tells whether a file changed since it was read, from what the kernel updates on every change.
import fs from 'node:fs';

/** Device, inode, size and modification and change times (ns) of one state of a file. */
export interface FileVersion {
  dev: bigint;
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
}

/** The file's version now, or null when it does not exist. */
export function fileVersion(file: string): FileVersion | null {
  const stats = fs.statSync(file, { bigint: true, throwIfNoEntry: false });
  if (stats === undefined) return null;
  return { dev: stats.dev, ino: stats.ino, size: stats.size, mtimeNs: stats.mtimeNs, ctimeNs: stats.ctimeNs };
}

export function sameVersion(a: FileVersion, b: FileVersion): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
}

/**
 * True when the file last changed at least `settleMs` before `nowMs`. Any write, in place or by
 * rename, sets the change time to the kernel's clock, which ticks in steps of milliseconds (a
 * second on some file systems): a second write within the same step as the first can leave all
 * five values equal. Once a version has settled, a later write can no longer share its change
 * time, so comparing versions is then a sure sign of change. Userspace cannot set ctime.
 */
export function hasSettled(version: FileVersion, nowMs: number, settleMs: number): boolean {
  return version.ctimeNs < BigInt(Math.floor(nowMs - settleMs)) * 1_000_000n;
}
