// Reads disk facts of the server: the mount table, statfs of a mount point, disk usage of a folder.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ServerPaths } from './server-paths.js';

export interface FilesystemSpace {
  totalBytes: number;
  /** Blocks in use (total minus free, root's reserve counted as free). */
  usedBytes: number;
  /** Space unprivileged services can still use (df's "Avail"). */
  freeBytes: number;
}

/** The disk facts the storage report needs; tests replace statfs to choose the numbers. */
export interface StorageProbe {
  /** Text of the kernel's mount table. */
  mountTable(): Promise<string>;
  /** Space of the filesystem mounted at an absolute server path. */
  statfs(mountPoint: string): Promise<FilesystemSpace>;
  /** Bytes on disk under an absolute server path (0 when it does not exist), each hard-linked file once. */
  folderBytes(folder: string): Promise<number>;
}

/** Folders read at once while measuring a tree: enough to overlap disk waits, few enough to stay polite. */
const WALK_CONCURRENCY = 4;

/** Disk usage of a tree like `du -s`: allocated blocks, symlinks not followed, hard links once. */
async function diskUsage(top: string): Promise<number> {
  let topStat;
  try {
    topStat = await fs.lstat(top);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  let total = topStat.blocks * 512;
  if (!topStat.isDirectory()) return total;
  const seenLinks = new Set<string>();
  const pending: string[] = [top];
  const walkOne = async (folder: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(folder, { withFileTypes: true });
    } catch (error) {
      // A folder removed or locked away while we walk is simply not counted.
      if (folder !== top) return;
      throw error;
    }
    for (const entry of entries) {
      const child = path.join(folder, entry.name);
      let stat;
      try {
        stat = await fs.lstat(child);
      } catch {
        continue;
      }
      if (stat.nlink > 1 && !stat.isDirectory()) {
        const identity = `${stat.dev}:${stat.ino}`;
        if (seenLinks.has(identity)) continue;
        seenLinks.add(identity);
      }
      total += stat.blocks * 512;
      if (stat.isDirectory()) pending.push(child);
    }
  };
  const worker = async (): Promise<void> => {
    for (let folder = pending.pop(); folder !== undefined; folder = pending.pop()) await walkOne(folder);
  };
  // Workers stop when the stack is empty; run rounds until no worker left anything behind.
  while (pending.length > 0) await Promise.all(Array.from({ length: WALK_CONCURRENCY }, worker));
  return total;
}

/** The real probe: every path is resolved under the server root, the mount table is `<root>/proc/self/mounts`. */
export function createStorageProbe(paths: ServerPaths): StorageProbe {
  const underRoot = (serverPath: string): string => path.join(paths.root, serverPath);
  return {
    mountTable: () => fs.readFile(paths.mountTable, 'utf8'),
    async statfs(mountPoint) {
      const stats = await fs.statfs(underRoot(mountPoint));
      return {
        totalBytes: stats.blocks * stats.bsize,
        usedBytes: (stats.blocks - stats.bfree) * stats.bsize,
        freeBytes: stats.bavail * stats.bsize,
      };
    },
    folderBytes: (folder) => diskUsage(underRoot(folder)),
  };
}
