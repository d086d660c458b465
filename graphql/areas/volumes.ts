// Volumes with their disk's model and serial (lsblk), and resizeVolume: resize2fs as a job.
import { diskIdentity, readBlockDevices } from '../../domain/block-devices.js';
import { growFileSystem, resizeRefusal } from '../../domain/volume-resize.js';
import type { Ctx } from '../../kit/context.js';
import type { ResolverContext } from '../area.js';
import { failureOf, succeeded, type MutationReturn } from '../mutation-return.js';
import { storageReport, toVolumeView, type VolumeView } from './storage-view.js';

/**
 * Every real filesystem of the storage report, the root first, with the model and serial of its
 * disk: the app finds a provider's volume by them (Hetzner's device id holds both), and only then
 * offers to extend it.
 */
export async function volumesOfServer(rctx: ResolverContext): Promise<VolumeView[]> {
  const [report, devices] = await Promise.all([storageReport(rctx), readBlockDevices(rctx.ctx.system)]);
  return report.filesystems
    .map((filesystem) => ({ ...toVolumeView(filesystem), ...diskIdentity(devices, filesystem.device) }))
    .sort((a, b) => Number(b.root) - Number(a.root));
}

/**
 * The operation: grows the file system of volume `name` to its disk's size, as a job (resize2fs on
 * a large volume takes a while). The app calls it after the provider grew the disk.
 */
export async function resizeVolume(ctx: Ctx, name: string): Promise<{ jobId: string }> {
  const report = await ctx.storage.report();
  const filesystem = report.filesystems.find((each) => toVolumeView(each).name === name);
  const volume = filesystem === undefined ? undefined : { name, device: filesystem.device, type: filesystem.type, mountPoint: filesystem.mountPoint };
  const refusal = resizeRefusal(volume, name);
  if (refusal !== undefined || volume === undefined) throw refusal;
  const job = await ctx.jobs.startWork('resize-volume', () => growFileSystem(ctx.system, volume.device));
  return { jobId: job.id };
}

export async function resizeVolumeMutation(_parent: unknown, { name }: { name: string }, { ctx }: ResolverContext): Promise<MutationReturn> {
  try {
    const { jobId } = await resizeVolume(ctx, name);
    return succeeded(`Growing the file system of ${name} (job ${jobId})`);
  } catch (error) {
    return failureOf(error);
  }
}
