// Volumes and service storage usage for GraphQL, from the storage report GET /system/storage answers.
import path from 'node:path';
import { SERVICE_CATALOG, serviceFolders, type ServiceDescriptor } from '../../domain/service-catalog.js';
import type { FilesystemReport, StorageReport } from '../../domain/storage-monitor.js';
import type { ResolverContext } from '../area.js';
import { oncePerOperation } from './request-memo.js';

/** A filesystem as the app's StorageVolume; sizes are byte counts as text, as upstream sends them. */
export interface VolumeView {
  name: string;
  /** The disk's, from lsblk (graphql/areas/volumes.ts); null where it is not known. */
  model: string | null;
  serial: string | null;
  type: string;
  root: boolean;
  totalSpace: string;
  freeSpace: string;
  usedSpace: string;
  /** Where it is mounted (ours, for matching service folders; not in the schema). */
  mountPoint: string;
}

export interface ServiceUsageView {
  title: string;
  usedSpace: string;
  volume: VolumeView | null;
  service: ServiceDescriptor;
}

export function storageReport(rctx: ResolverContext): Promise<StorageReport> {
  return oncePerOperation(rctx, 'storage', () => rctx.ctx.storage.report());
}

/** `/dev/sda1` → `sda1`, as upstream names volumes; a device that is not a path keeps its name. */
function volumeName(device: string): string {
  return device.startsWith('/dev/') ? path.basename(device) : device;
}

export function toVolumeView(filesystem: FilesystemReport): VolumeView {
  const bytes = (value: number | null): string => String(value ?? 0);
  return {
    name: volumeName(filesystem.device),
    model: null,
    serial: null,
    type: filesystem.type,
    root: filesystem.mountPoint === '/',
    totalSpace: bytes(filesystem.totalBytes),
    freeSpace: bytes(filesystem.freeBytes),
    usedSpace: bytes(filesystem.usedBytes),
    mountPoint: filesystem.mountPoint,
  };
}

function isUnder(folder: string, mountPoint: string): boolean {
  return mountPoint === '/' || folder === mountPoint || folder.startsWith(`${mountPoint}/`);
}

/** The filesystem holding a service's first data folder: the longest mount point above it. */
function volumeOf(report: StorageReport, service: ServiceDescriptor): VolumeView | null {
  const folder = serviceFolders(service)[0];
  if (folder === undefined) return null;
  const holders = report.filesystems.filter((filesystem) => isUnder(folder, filesystem.mountPoint));
  const deepest = holders.sort((a, b) => b.mountPoint.length - a.mountPoint.length)[0];
  return deepest === undefined ? null : toVolumeView(deepest);
}

/** A service's storage usage: its folders' measured size (0 until measured) on the volume holding them. */
export function serviceUsage(report: StorageReport, service: ServiceDescriptor): ServiceUsageView {
  const bytes = report.services.find((entry) => entry.service === service.dataKey)?.bytes ?? 0;
  return { title: service.displayName, usedSpace: String(bytes), volume: volumeOf(report, service), service };
}

/** The usages shown under a volume: the services whose data lies on it. */
export function usagesOnVolume(report: StorageReport, volume: VolumeView): ServiceUsageView[] {
  return SERVICE_CATALOG.map((service) => serviceUsage(report, service)).filter((usage) => usage.volume?.mountPoint === volume.mountPoint);
}
