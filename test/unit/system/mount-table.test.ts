import { describe, expect, it } from 'vitest';
import { isLowOnSpace, isPseudoFilesystem, parseMountTable, realFilesystems } from '../../../domain/mount-table.js';
import { SERVER_MOUNT_TABLE } from '../../helpers/mount-fixture.js';

describe('the mount table rules', () => {
  it('keeps the real filesystems once each, in mount order, with escaped names decoded', () => {
    expect(realFilesystems(parseMountTable(SERVER_MOUNT_TABLE))).toEqual([
      { device: '/dev/sda1', mountPoint: '/', type: 'ext4' },
      { device: '/dev/sda15', mountPoint: '/boot', type: 'vfat' },
      { device: '/dev/sdb', mountPoint: '/volumes/sdb', type: 'ext4' },
      { device: '/dev/sdc', mountPoint: '/mnt/with space', type: 'ext4' },
    ]);
  });

  it('treats kernel, memory, image and FUSE filesystems as pseudo ones', () => {
    for (const type of ['proc', 'sysfs', 'tmpfs', 'devtmpfs', 'cgroup', 'cgroup2', 'squashfs', 'fuse.portal', 'fuse', 'rootfs']) {
      expect(isPseudoFilesystem(type), type).toBe(true);
    }
    for (const type of ['ext4', 'btrfs', 'xfs', 'zfs', 'vfat', 'nfs4', 'overlay']) {
      expect(isPseudoFilesystem(type), type).toBe(false);
    }
  });

  it('keeps every non-device source (zfs datasets, nfs shares) even when repeated', () => {
    const mounts = parseMountTable('tank/data /data zfs rw 0 0\ntank/data /data2 zfs rw 0 0\nsrv:/x /x nfs4 rw 0 0\n');
    expect(realFilesystems(mounts).map((m) => m.mountPoint)).toEqual(['/data', '/data2', '/x']);
  });

  it('skips malformed lines', () => {
    expect(parseMountTable('garbage\n/dev/sda1 relative ext4 rw 0 0\n\n/dev/sda1 / ext4 rw 0 0')).toEqual([
      { device: '/dev/sda1', mountPoint: '/', type: 'ext4' },
    ]);
  });

  it('flags under 10% free as low, counting free as df does (root\'s reserve left out)', () => {
    expect(isLowOnSpace(9, 91)).toBe(true);
    expect(isLowOnSpace(10, 90)).toBe(false);
    // 100 GiB disk, 5 GiB reserved for root, 86 used, 9 available: df shows 91% used.
    expect(isLowOnSpace(9, 86)).toBe(true);
    expect(isLowOnSpace(0, 0)).toBe(false);
  });
});
