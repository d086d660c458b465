// Growing a volume's file system to the size of its disk, after the provider grew the disk.
import type { CommandRunner } from '../core/commands.js';
import { badRequest, notFound, type HttpError } from '../core/errors.js';

/** resize2fs grows these online; other file systems need their own tool. */
const GROWABLE_TYPES = new Set(['ext2', 'ext3', 'ext4']);

/** A plain device path: resize2fs gets it as one argument, and it must not name anything outside /dev. */
const DEVICE_PATH = /^\/dev\/[A-Za-z0-9_][A-Za-z0-9_./-]*$/;

/** Growing a large file system online takes minutes. */
const RESIZE_TIMEOUT_MS = 30 * 60 * 1000;

export interface ResizableVolume {
  name: string;
  device: string;
  type: string;
  mountPoint: string;
}

/**
 * Why a volume cannot be grown here, or undefined. The system's root is a partition of the boot
 * disk: after the disk grows, the partition has to grow first (NixOS does that at boot), so
 * resize2fs alone would do nothing.
 */
export function resizeRefusal(volume: ResizableVolume | undefined, name: string): HttpError | undefined {
  if (volume === undefined) return notFound({ error: `No volume is named ${name}` });
  if (volume.mountPoint === '/') return badRequest('The system\'s root volume is a partition of the boot disk; it grows when the server restarts after the provider grew the disk', 'name');
  if (!GROWABLE_TYPES.has(volume.type)) return badRequest(`A ${volume.type} file system cannot be grown online here (only ext2, ext3 and ext4)`, 'name');
  if (!DEVICE_PATH.test(volume.device) || volume.device.split('/').includes('..')) return badRequest(`The volume's device ${volume.device} is not a device path`, 'name');
  return undefined;
}

/** Runs resize2fs on the device; its words on failure become the job's error. */
export async function growFileSystem(system: CommandRunner, device: string): Promise<void> {
  const result = await system.run('resize2fs', [device], { timeoutMs: RESIZE_TIMEOUT_MS });
  if (result.exitCode !== 0) {
    const said = result.stderr.trim().split('\n').at(-1) ?? '';
    throw new Error(`resize2fs ${device} exited with ${result.exitCode}${said === '' ? '' : `: ${said.slice(0, 300)}`}`);
  }
}
