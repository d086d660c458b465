// Unit tests of the GraphQL "storage" area through the /graphql function unit: volumes from the storage report.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ctx } from '../../../kit/context.js';
import { silentLogger } from '../../../runtime/logger.js';
import { StorageMonitor } from '../../../domain/storage-monitor.js';
import { createStorageProbe } from '../../../store/storage-probe.js';
import { fakeRunner, makeCtx } from '../../helpers/function-call.js';
import { LSBLK_JSON } from '../../helpers/lsblk-output.js';
import { writeMountTable } from '../../helpers/mount-fixture.js';
import { waitFor } from '../../helpers/wait.js';
import { sendAppOperation } from './app-operation.js';
import { useTempRoot } from '../../helpers/setup.js';

const GiB = 1024 ** 3;

const temp = useTempRoot();
let ctx: Ctx;
let storage: StorageMonitor;
let runner: ReturnType<typeof fakeRunner>;
let resize2fsExit = 0;

beforeEach(() => {
  writeMountTable(temp.paths);
  // The real probe over the temporary root, with statfs answering fixed sizes.
  const probe = { ...createStorageProbe(temp.paths), statfs: async (mountPoint: string) => (mountPoint === '/' ? { totalBytes: 100 * GiB, usedBytes: 40 * GiB, freeBytes: 60 * GiB } : { totalBytes: 10 * GiB, usedBytes: 1 * GiB, freeBytes: 9 * GiB }) };
  storage = new StorageMonitor(probe, { log: silentLogger });
  resize2fsExit = 0;
  runner = fakeRunner((command) => {
    if (command === 'lsblk') return { stdout: LSBLK_JSON };
    if (command === 'resize2fs') return resize2fsExit === 0 ? { stdout: 'The filesystem is now 2621440 (4k) blocks long.\n' } : { exitCode: resize2fsExit, stderr: 'resize2fs: Device or resource busy\n' };
    return { exitCode: 127 };
  });
  ctx = makeCtx(temp, { storage, system: runner, caller: null });
});
afterEach(async () => {
  await storage.sizesSettled();
  await ctx.jobs.close();
});

describe('GetServerDiskVolumes', () => {
  it('lists the real filesystems, the root first, with the services whose data lies on each', async () => {
    const file = path.join(temp.root, 'var/lib/gitea/repo.pack');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, randomBytes(64 * 1024));
    // The first report starts measuring folder sizes; the second answers them.
    await storage.report();
    await storage.sizesSettled();

    const volumes = (await sendAppOperation(ctx, 'GetServerDiskVolumes')).body.data.storage.volumes;
    expect(volumes.map((volume: any) => volume.name)).toEqual(['sda1', 'sda15', 'sdb', 'sdc']);
    const [root, boot] = volumes;
    // A partition answers its disk's model and serial; the Hetzner volume its own (the app matches them with the provider's).
    expect(root).toMatchObject({ root: true, type: 'ext4', model: 'QEMU HARDDISK', serial: 'drive-scsi0-0-0-0', totalSpace: String(100 * GiB), usedSpace: String(40 * GiB), freeSpace: String(60 * GiB) });
    expect(boot.root).toBe(false);
    expect(volumes[2]).toMatchObject({ name: 'sdb', model: 'Volume', serial: '100123456' });
    // /dev/sdc is not in lsblk's list: nothing to say about it.
    expect(volumes[3]).toMatchObject({ name: 'sdc', model: null, serial: null });
    expect(runner.calls.filter((call) => call.command === 'lsblk').map((call) => call.args)).toEqual([['--json', '--output', 'NAME,PATH,TYPE,MODEL,SERIAL,PKNAME']]);
    expect(boot.usages).toEqual([]);
    expect(root.usages.map((usage: any) => usage.service.id)).toEqual(['simple-nixos-mailserver', 'bitwarden', 'gitea', 'nextcloud', 'ocserv', 'pleroma']);
    const gitea = root.usages.find((usage: any) => usage.service.id === 'gitea');
    expect(gitea).toMatchObject({ __typename: 'ServiceStorageUsage', title: 'Gitea', service: { displayName: 'Gitea', isMovable: false } });
    expect(Number(gitea.usedSpace)).toBeGreaterThanOrEqual(64 * 1024);
  });
});

describe('ResizeVolume', () => {
  const resize = async (name: string) => (await sendAppOperation(ctx, 'ResizeVolume', { name })).body.data.storage.resizeVolume;

  it('grows an ext4 volume with resize2fs on its device, as a job', async () => {
    const answer = await resize('sdb');
    expect(answer).toMatchObject({ success: true, code: 200 });
    await waitFor(async () => (await ctx.jobs.list())[0]?.state === 'succeeded', 'the resize job to end');
    const [job] = await ctx.jobs.list();
    expect(job).toMatchObject({ type: 'resize-volume', state: 'succeeded' });
    expect(answer.message).toContain(job?.id);
    expect(runner.calls.filter((call) => call.command === 'resize2fs').map((call) => call.args)).toEqual([['/dev/sdb']]);
  });

  it('fails the job with resize2fs\'s words when it fails', async () => {
    resize2fsExit = 1;
    expect((await resize('sdb')).success).toBe(true);
    await waitFor(async () => (await ctx.jobs.list())[0]?.state === 'failed', 'the resize job to fail');
    expect((await ctx.jobs.list())[0]?.error).toMatch(/resize2fs \/dev\/sdb exited with 1: resize2fs: Device or resource busy/);
  });

  it('refuses an unknown volume (404), the system\'s root and a non-ext file system (400), running nothing', async () => {
    expect(await resize('sdz')).toMatchObject({ success: false, code: 404, message: 'No volume is named sdz' });
    const root = await resize('sda1');
    expect(root).toMatchObject({ success: false, code: 400 });
    expect(root.message).toMatch(/root volume/);
    const boot = await resize('sda15');
    expect(boot).toMatchObject({ success: false, code: 400 });
    expect(boot.message).toMatch(/vfat file system cannot be grown online/);
    expect(runner.calls.filter((call) => call.command === 'resize2fs')).toEqual([]);
    expect(await ctx.jobs.list()).toEqual([]);
  });
});

describe('what this server cannot do', () => {
  it('MountVolume, UnmountVolume and MigrateToBinds answer 400, run nothing and write nothing', async () => {
    const before = temp.userdataBytes();
    const input = { emailBlockDevice: 'sdb', bitwardenBlockDevice: 'sdb', giteaBlockDevice: 'sdb', nextcloudBlockDevice: 'sdb', pleromaBlockDevice: 'sdb' };
    const answers = [
      (await sendAppOperation(ctx, 'MountVolume', { name: 'sdb' })).body.data.storage.mountVolume,
      (await sendAppOperation(ctx, 'UnmountVolume', { name: 'sdb' })).body.data.storage.unmountVolume,
      (await sendAppOperation(ctx, 'MigrateToBinds', { input })).body.data.storage.migrateToBinds,
    ];
    for (const answer of answers) {
      expect(answer).toMatchObject({ success: false, code: 400 });
      expect(answer.message).toMatch(/^Not supported on this server: /);
    }
    expect(answers[2].job).toBeNull();
    expect(runner.calls).toEqual([]);
    expect(temp.userdataBytes()).toBe(before);
    expect(await ctx.jobs.list()).toEqual([]);
  });
});
