// The kernel's mount table (/proc/self/mounts): which mounted filesystems hold real data.

export interface Mount {
  device: string;
  mountPoint: string;
  type: string;
}

/**
 * Filesystems that hold no data of the server: kernel views (proc, sysfs, cgroup…), memory-backed
 * ones (tmpfs, ramfs, devtmpfs: gone at reboot, sized from RAM), read-only images that are always
 * full (squashfs, iso9660: a snap or a live medium would always look "low") and FUSE mounts
 * (portals, rclone, sshfs: remote or virtual, and a hung one would stall statfs). Anything else
 * (ext4, btrfs, xfs, zfs, vfat /boot, nfs, overlay…) is reported. A type missing from this list
 * that reports zero blocks is skipped too, by the caller.
 */
const PSEUDO_TYPES = new Set([
  'autofs', 'binfmt_misc', 'bpf', 'cgroup', 'cgroup2', 'configfs', 'debugfs', 'devpts', 'devtmpfs',
  'efivarfs', 'fusectl', 'hugetlbfs', 'iso9660', 'mqueue', 'nsfs', 'proc', 'pstore', 'ramfs',
  'rootfs', 'rpc_pipefs', 'securityfs', 'selinuxfs', 'squashfs', 'sysfs', 'tmpfs', 'tracefs',
]);

export function isPseudoFilesystem(type: string): boolean {
  return PSEUDO_TYPES.has(type) || type === 'fuse' || type.startsWith('fuse.');
}

/** The kernel writes space, tab, newline and backslash in names as octal escapes (`\040`). */
function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** Every well-formed line of the table, in mount order. */
export function parseMountTable(text: string): Mount[] {
  const mounts: Mount[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 3) continue;
    const [device, mountPoint, type] = fields.map(unescapeMountField) as [string, string, string];
    if (!mountPoint.startsWith('/')) continue;
    mounts.push({ device, mountPoint, type });
  }
  return mounts;
}

/**
 * The mounts holding real data, each filesystem once: a block device mounted again (NixOS binds
 * /nix/store onto itself read-only; bind mounts of folders) keeps its first mount point.
 */
export function realFilesystems(mounts: readonly Mount[]): Mount[] {
  const seenDevices = new Set<string>();
  const result: Mount[] = [];
  for (const mount of mounts) {
    if (isPseudoFilesystem(mount.type)) continue;
    if (mount.device.startsWith('/')) {
      if (seenDevices.has(mount.device)) continue;
      seenDevices.add(mount.device);
    }
    result.push(mount);
  }
  return result;
}

/** Under 10% free is low. */
export const LOW_SPACE_RATIO = 0.1;

/**
 * Free as df counts it for "Use%": available over used plus available, so the blocks reserved for
 * root (5% on ext4) do not hide a disk that services already see as full.
 */
export function isLowOnSpace(freeBytes: number, usedBytes: number): boolean {
  const usable = freeBytes + usedBytes;
  return usable > 0 && freeBytes / usable < LOW_SPACE_RATIO;
}
