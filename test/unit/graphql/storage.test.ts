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
import { writeMountTable } from '../../helpers/mount-fixture.js';
import { sendAppOperation } from './app-operation.js';
import { useTempRoot } from '../../helpers/setup.js';

const GiB = 1024 ** 3;

const temp = useTempRoot();
let ctx: Ctx;
let storage: StorageMonitor;
const runner = fakeRunner();

beforeEach(() => {
  writeMountTable(temp.paths);
  // The real probe over the temporary root, with statfs answering fixed sizes.
  const probe = { ...createStorageProbe(temp.paths), statfs: async (mountPoint: string) => (mountPoint === '/' ? { totalBytes: 100 * GiB, usedBytes: 40 * GiB, freeBytes: 60 * GiB } : { totalBytes: 10 * GiB, usedBytes: 1 * GiB, freeBytes: 9 * GiB }) };
  storage = new StorageMonitor(probe, { log: silentLogger });
  ctx = makeCtx(temp, { storage, system: runner, caller: null });
  runner.calls.length = 0;
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
    expect(root).toMatchObject({ root: true, type: 'ext4', model: null, serial: null, totalSpace: String(100 * GiB), usedSpace: String(40 * GiB), freeSpace: String(60 * GiB) });
    expect(boot.root).toBe(false);
    expect(boot.usages).toEqual([]);
    expect(root.usages.map((usage: any) => usage.service.id)).toEqual(['simple-nixos-mailserver', 'bitwarden', 'gitea', 'nextcloud', 'ocserv', 'pleroma']);
    const gitea = root.usages.find((usage: any) => usage.service.id === 'gitea');
    expect(gitea).toMatchObject({ __typename: 'ServiceStorageUsage', title: 'Gitea', service: { displayName: 'Gitea', isMovable: false } });
    expect(Number(gitea.usedSpace)).toBeGreaterThanOrEqual(64 * 1024);
  });
});

describe('what this server cannot do', () => {
  it('MountVolume, ResizeVolume, UnmountVolume and MigrateToBinds answer 400, run nothing and write nothing', async () => {
    const before = temp.userdataBytes();
    const input = { emailBlockDevice: 'sdb', bitwardenBlockDevice: 'sdb', giteaBlockDevice: 'sdb', nextcloudBlockDevice: 'sdb', pleromaBlockDevice: 'sdb' };
    const answers = [
      (await sendAppOperation(ctx, 'MountVolume', { name: 'sdb' })).body.data.storage.mountVolume,
      (await sendAppOperation(ctx, 'ResizeVolume', { name: 'sdb' })).body.data.storage.resizeVolume,
      (await sendAppOperation(ctx, 'UnmountVolume', { name: 'sdb' })).body.data.storage.unmountVolume,
      (await sendAppOperation(ctx, 'MigrateToBinds', { input })).body.data.storage.migrateToBinds,
    ];
    for (const answer of answers) {
      expect(answer).toMatchObject({ success: false, code: 400 });
      expect(answer.message).toMatch(/^Not supported on this server: /);
    }
    expect(answers[3].job).toBeNull();
    expect(runner.calls).toEqual([]);
    expect(temp.userdataBytes()).toBe(before);
    expect(await ctx.jobs.list()).toEqual([]);
  });
});
