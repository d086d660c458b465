// lsblk's answer read into disks, and which volumes resize2fs may grow.
import { describe, expect, it } from 'vitest';
import { diskIdentity, parseLsblk } from '../../../domain/block-devices.js';
import { resizeRefusal } from '../../../domain/volume-resize.js';
import { LSBLK_JSON } from '../../helpers/lsblk-output.js';

describe('parseLsblk', () => {
  it('flattens disks and partitions, trims the padded model, and gives a partition its disk\'s identity', () => {
    const devices = parseLsblk(LSBLK_JSON);
    expect(devices.map((device) => device.name)).toEqual(['sda', 'sda1', 'sda15', 'sdb', 'sr0']);
    expect(diskIdentity(devices, '/dev/sda1')).toEqual({ model: 'QEMU HARDDISK', serial: 'drive-scsi0-0-0-0' });
    expect(diskIdentity(devices, '/dev/sdb')).toEqual({ model: 'Volume', serial: '100123456' });
    expect(diskIdentity(devices, '/dev/mapper/x')).toEqual({ model: null, serial: null });
  });

  it('reads nothing from output that is not lsblk\'s JSON', () => {
    for (const output of ['', 'NAME MODEL\nsda QEMU', '{"blockdevices": "x"}', '[1,2]', '{"blockdevices": [null, {"name": 3}]}']) expect(parseLsblk(output)).toEqual([]);
  });
});

describe('resizeRefusal', () => {
  const volume = { name: 'sdb', device: '/dev/sdb', type: 'ext4', mountPoint: '/volumes/sdb' };

  it('lets an ext volume off the root through', () => {
    expect(resizeRefusal(volume, 'sdb')).toBeUndefined();
    expect(resizeRefusal({ ...volume, type: 'ext3' }, 'sdb')).toBeUndefined();
  });

  it('refuses what resize2fs cannot or must not be given', () => {
    expect(resizeRefusal(undefined, 'sdx')?.status).toBe(404);
    expect(resizeRefusal({ ...volume, mountPoint: '/' }, 'sdb')?.status).toBe(400);
    expect(resizeRefusal({ ...volume, type: 'btrfs' }, 'sdb')?.status).toBe(400);
    for (const device of ['-f', 'sdb', '/dev/../etc/passwd', '/dev/-rf', 'UUID=1234']) expect(resizeRefusal({ ...volume, device }, 'sdb')?.status, device).toBe(400);
  });
});
