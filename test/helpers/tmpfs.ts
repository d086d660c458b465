// A tiny tmpfs mounted over a folder: a real full disk or read-only file system, even for root.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function mountCommand(args: string[]): boolean {
  try {
    execFileSync('mount', args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** True when this machine lets us mount (root with CAP_SYS_ADMIN); CI containers may not. */
export const canMountTmpfs: boolean = (() => {
  const probe = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-mount-probe-'));
  const mounted = mountCommand(['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', probe]);
  if (mounted) execFileSync('umount', [probe]);
  fs.rmdirSync(probe);
  return mounted;
})();

export function mountTmpfs(folder: string, sizeKb: number): void {
  if (!mountCommand(['-t', 'tmpfs', '-o', `size=${sizeKb}k,mode=0755`, 'tmpfs', folder])) throw new Error(`could not mount a tmpfs on ${folder}`);
}

export function remountReadOnly(folder: string): void {
  if (!mountCommand(['-o', 'remount,ro', folder])) throw new Error(`could not remount ${folder} read-only`);
}

export function unmount(folder: string): void {
  execFileSync('umount', ['-l', folder], { stdio: 'ignore' });
}

/** Fills the file system holding `folder` until a write fails with ENOSPC; returns the filler file. */
export function fillDisk(folder: string): string {
  const filler = path.join(folder, 'filler');
  const chunk = Buffer.alloc(1024);
  const descriptor = fs.openSync(filler, 'w');
  try {
    for (;;) fs.writeSync(descriptor, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    fs.closeSync(descriptor);
  }
  return filler;
}
