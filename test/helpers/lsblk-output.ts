// What `lsblk --json --output NAME,PATH,TYPE,MODEL,SERIAL,PKNAME` prints on a Hetzner server with one extra volume.

export const LSBLK_JSON = JSON.stringify({
  blockdevices: [
    {
      name: 'sda', path: '/dev/sda', type: 'disk', model: 'QEMU HARDDISK   ', serial: 'drive-scsi0-0-0-0', pkname: null,
      children: [
        { name: 'sda1', path: '/dev/sda1', type: 'part', model: null, serial: null, pkname: 'sda' },
        { name: 'sda15', path: '/dev/sda15', type: 'part', model: null, serial: null, pkname: 'sda' },
      ],
    },
    { name: 'sdb', path: '/dev/sdb', type: 'disk', model: 'Volume', serial: '100123456', pkname: null },
    { name: 'sr0', path: '/dev/sr0', type: 'rom', model: 'QEMU DVD-ROM', serial: 'QM00003', pkname: null },
  ],
});
