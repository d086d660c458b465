// A mount table like a SelfPrivacy server's, written under a test root as <root>/proc/self/mounts.
import fs from 'node:fs';
import path from 'node:path';
import type { ServerPaths } from '../../store/server-paths.js';

export const SERVER_MOUNT_TABLE = [
  'proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0',
  'sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0',
  'devtmpfs /dev devtmpfs rw,nosuid,size=197816k,nr_inodes=492894,mode=755 0 0',
  'devpts /dev/pts devpts rw,nosuid,noexec,relatime,gid=3,mode=620,ptmxmode=666 0 0',
  'tmpfs /run tmpfs rw,nosuid,nodev,size=989072k,mode=755 0 0',
  '/dev/sda1 / ext4 rw,relatime 0 0',
  '/dev/sda1 /nix/store ext4 ro,relatime 0 0',
  'cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime,nsdelegate 0 0',
  '/dev/sda15 /boot vfat rw,relatime,fmask=0022,dmask=0022 0 0',
  '/dev/sdb /volumes/sdb ext4 rw,relatime 0 0',
  '/dev/sdc /mnt/with\\040space ext4 rw,relatime 0 0',
  'portal /run/user/1000/doc fuse.portal rw,nosuid,nodev,relatime,user_id=1000,group_id=100 0 0',
  '/dev/loop0 /snap/core/1 squashfs ro,nodev,relatime 0 0',
  '',
].join('\n');

/** Writes the table and creates its mount points, so statfs under the root finds them. */
export function writeMountTable(paths: ServerPaths, table = SERVER_MOUNT_TABLE): void {
  fs.mkdirSync(path.dirname(paths.mountTable), { recursive: true });
  fs.writeFileSync(paths.mountTable, table);
  for (const mountPoint of ['/boot', '/volumes/sdb', '/mnt/with space', '/nix/store']) {
    fs.mkdirSync(path.join(paths.root, mountPoint), { recursive: true });
  }
}
