// The storage report: filesystems measured on every call, service folder sizes measured in the background.
import { isLowOnSpace, parseMountTable, realFilesystems, type Mount } from './mount-table.js';
import { SERVICE_DATA_FOLDERS } from './service-data-folders.js';
import type { Logger } from '../core/logger.js';
import type { ServerPaths } from '../store/server-paths.js';
import { createStorageProbe, type FilesystemSpace, type StorageProbe } from '../store/storage-probe.js';

export interface FilesystemReport {
  mountPoint: string;
  device: string;
  type: string;
  totalBytes: number | null;
  usedBytes: number | null;
  freeBytes: number | null;
  low: boolean;
  /** Why the numbers are missing (statfs failed or took too long). */
  error?: string;
}

export interface ServiceSizeReport {
  service: string;
  folders: string[];
  /** Bytes on disk of all its folders; null until first measured, or when a folder could not be read. */
  bytes: number | null;
}

export interface StorageReport {
  filesystems: FilesystemReport[];
  services: ServiceSizeReport[];
  /** True while folder sizes are being measured (the sizes shown are older, or null the first time). */
  computing: boolean;
  /** When the sizes shown were measured; null before the first measurement ends. */
  sizesMeasuredAt: string | null;
}

export interface StorageMonitorOptions {
  log: Logger;
  /** Sizes older than this are measured again on the next request (still answered from the cache). */
  sizesMaxAgeMs?: number;
  /** A statfs that takes longer (a hung network mount) is reported without numbers. */
  statfsTimeoutMs?: number;
  now?: () => Date;
}

const DEFAULT_SIZES_MAX_AGE_MS = 10 * 60_000;
const DEFAULT_STATFS_TIMEOUT_MS = 5_000;

class StatfsTimeout extends Error {}

export class StorageMonitor {
  private sizes: ServiceSizeReport[] | null = null;
  private measuredAt: Date | null = null;
  private measuring: Promise<void> | null = null;
  /** One statfs per mount point at a time: repeated requests share it instead of piling up on a hung mount. */
  private readonly statfsInFlight = new Map<string, Promise<FilesystemSpace>>();

  constructor(
    private readonly probe: StorageProbe,
    private readonly options: StorageMonitorOptions,
  ) {}

  /** Filesystems now; folder sizes from the cache, a new measurement started when they are missing or old. */
  async report(): Promise<StorageReport> {
    const mounts = realFilesystems(parseMountTable(await this.probe.mountTable()));
    const filesystems = (await Promise.all(mounts.map((mount) => this.measureFilesystem(mount)))).filter(
      (report) => report.totalBytes !== 0,
    );
    if (this.sizesAreStale()) this.startMeasuringSizes();
    return {
      filesystems,
      services: this.sizes ?? SERVICE_DATA_FOLDERS.map(({ service, folders }) => ({ service, folders: [...folders], bytes: null })),
      computing: this.measuring !== null,
      sizesMeasuredAt: this.measuredAt?.toISOString() ?? null,
    };
  }

  /** Resolves when the measurement under way (if any) has ended. */
  async sizesSettled(): Promise<void> {
    await this.measuring;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private sizesAreStale(): boolean {
    if (this.measuredAt === null) return true;
    return this.now().getTime() - this.measuredAt.getTime() > (this.options.sizesMaxAgeMs ?? DEFAULT_SIZES_MAX_AGE_MS);
  }

  private startMeasuringSizes(): void {
    if (this.measuring !== null) return;
    this.measuring = this.measureSizes().finally(() => {
      this.measuring = null;
    });
  }

  private async measureSizes(): Promise<void> {
    const sizes: ServiceSizeReport[] = [];
    // One service after another: the walk runs beside requests and should not crowd the disk.
    for (const { service, folders } of SERVICE_DATA_FOLDERS) {
      sizes.push({ service, folders: [...folders], bytes: await this.measureFolders(folders) });
    }
    this.sizes = sizes;
    this.measuredAt = this.now();
  }

  /** Sum of the folders' sizes, or null when one of them cannot be read (a partial sum would mislead). */
  private async measureFolders(folders: readonly string[]): Promise<number | null> {
    let bytes = 0;
    for (const folder of folders) {
      try {
        bytes += await this.probe.folderBytes(folder);
      } catch (error) {
        this.options.log.warn('could not measure folder', { folder, code: (error as NodeJS.ErrnoException).code ?? 'unknown' });
        return null;
      }
    }
    return bytes;
  }

  private async measureFilesystem(mount: Mount): Promise<FilesystemReport> {
    const base = { mountPoint: mount.mountPoint, device: mount.device, type: mount.type };
    try {
      const space = await this.sharedStatfs(mount.mountPoint);
      return { ...base, ...space, low: isLowOnSpace(space.freeBytes, space.usedBytes) };
    } catch (error) {
      const reason = error instanceof StatfsTimeout ? 'timeout' : ((error as NodeJS.ErrnoException).code ?? 'unknown');
      return { ...base, totalBytes: null, usedBytes: null, freeBytes: null, low: false, error: `statfs failed: ${reason}` };
    }
  }

  private sharedStatfs(mountPoint: string): Promise<FilesystemSpace> {
    let call = this.statfsInFlight.get(mountPoint);
    if (call === undefined) {
      call = this.probe.statfs(mountPoint).finally(() => this.statfsInFlight.delete(mountPoint));
      this.statfsInFlight.set(mountPoint, call);
    }
    return withTimeout(call, this.options.statfsTimeoutMs ?? DEFAULT_STATFS_TIMEOUT_MS);
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StatfsTimeout()), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** The monitor of a server root with the real probe. */
export function createStorageMonitor(paths: ServerPaths, log: Logger): StorageMonitor {
  return new StorageMonitor(createStorageProbe(paths), { log });
}
