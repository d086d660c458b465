import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import getStorage from '../../../functions/system/storage.js';
import { silentLogger } from '../../../runtime/logger.js';
import { StorageMonitor } from '../../../domain/storage-monitor.js';
import { createStorageProbe, type FilesystemSpace, type StorageProbe } from '../../../store/storage-probe.js';
import { call, jsonRequest, makeCtx } from '../../helpers/function-call.js';
import { writeMountTable } from '../../helpers/mount-fixture.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();
beforeEach(() => {
  writeMountTable(temp.paths);
});

const GiB = 1024 ** 3;

/** The real probe over the temporary root, with statfs answering from a table. */
function probeWith(space: Record<string, FilesystemSpace | Error | 'hang'>): StorageProbe & { statfsCalls: string[] } {
  const real = createStorageProbe(temp.paths);
  const statfsCalls: string[] = [];
  return {
    ...real,
    statfsCalls,
    statfs(mountPoint) {
      statfsCalls.push(mountPoint);
      const answer = space[mountPoint] ?? { totalBytes: 10 * GiB, usedBytes: 1 * GiB, freeBytes: 9 * GiB };
      if (answer === 'hang') return new Promise(() => undefined);
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  };
}

function getWith(storage: StorageMonitor) {
  return call(getStorage, jsonRequest('GET', '/system/storage'), makeCtx(temp, { storage }));
}

function writeFile(serverPath: string, bytes: number): void {
  const file = path.join(temp.root, serverPath);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Random bytes: no filesystem can compress them, so blocks on disk are at least the length.
  fs.writeFileSync(file, randomBytes(bytes));
}

describe('GET /system/storage', () => {
  it('reports each real filesystem with its space and a low flag under 10% free', async () => {
    const storage = new StorageMonitor(probeWith({
      '/': { totalBytes: 100 * GiB, usedBytes: 95 * GiB, freeBytes: 5 * GiB },
      '/volumes/sdb': { totalBytes: 50 * GiB, usedBytes: 10 * GiB, freeBytes: 40 * GiB },
    }), { log: silentLogger });
    const { status, body } = await getWith(storage);
    expect(status).toBe(200);
    expect(body.filesystems.map((f: { mountPoint: string }) => f.mountPoint)).toEqual(['/', '/boot', '/volumes/sdb', '/mnt/with space']);
    expect(body.filesystems[0]).toEqual({
      mountPoint: '/', device: '/dev/sda1', type: 'ext4', totalBytes: 100 * GiB, usedBytes: 95 * GiB, freeBytes: 5 * GiB, low: true,
    });
    expect(body.filesystems[2]).toMatchObject({ device: '/dev/sdb', freeBytes: 40 * GiB, low: false });
  });

  it('reports a filesystem whose statfs fails or hangs without numbers, and the others normally', async () => {
    const storage = new StorageMonitor(probeWith({ '/boot': Object.assign(new Error('denied'), { code: 'EACCES' }), '/volumes/sdb': 'hang' }), {
      log: silentLogger,
      statfsTimeoutMs: 50,
    });
    const { status, body } = await getWith(storage);
    expect(status).toBe(200);
    const byMount = Object.fromEntries(body.filesystems.map((f: { mountPoint: string }) => [f.mountPoint, f]));
    expect(byMount['/boot']).toMatchObject({ totalBytes: null, freeBytes: null, low: false, error: 'statfs failed: EACCES' });
    expect(byMount['/volumes/sdb']).toMatchObject({ totalBytes: null, error: 'statfs failed: timeout' });
    expect(byMount['/'].totalBytes).toBe(10 * GiB);
  });

  it('asks a hung mount only once while it has not answered', async () => {
    const probe = probeWith({ '/volumes/sdb': 'hang' });
    const storage = new StorageMonitor(probe, { log: silentLogger, statfsTimeoutMs: 20 });
    await getWith(storage);
    await getWith(storage);
    expect(probe.statfsCalls.filter((mount) => mount === '/volumes/sdb')).toHaveLength(1);
    expect(probe.statfsCalls.filter((mount) => mount === '/')).toHaveLength(2);
  });

  it('leaves out filesystems that report zero blocks', async () => {
    const storage = new StorageMonitor(probeWith({ '/boot': { totalBytes: 0, usedBytes: 0, freeBytes: 0 } }), { log: silentLogger });
    const { body } = await getWith(storage);
    expect(body.filesystems.map((f: { mountPoint: string }) => f.mountPoint)).not.toContain('/boot');
  });

  it('answers at once with null sizes while measuring, then with the measured sizes', async () => {
    writeFile('var/lib/gitea/repos/a.git/pack', 200_000);
    writeFile('var/lib/gitea/app.ini', 1000);
    writeFile('var/vmail/test.tld/user1/mail', 50_000);
    writeFile('var/sieve/user1.sieve', 3000);
    const storage = new StorageMonitor(probeWith({}), { log: silentLogger });
    const first = await getWith(storage);
    expect(first.body.computing).toBe(true);
    expect(first.body.sizesMeasuredAt).toBeNull();
    expect(first.body.services.every((s: { bytes: unknown }) => s.bytes === null)).toBe(true);

    await storage.sizesSettled();
    const second = await getWith(storage);
    expect(second.body.computing).toBe(false);
    expect(Date.parse(second.body.sizesMeasuredAt)).not.toBeNaN();
    const bytes = Object.fromEntries(second.body.services.map((s: { service: string; bytes: number }) => [s.service, s.bytes]));
    expect(bytes.gitea).toBeGreaterThanOrEqual(201_000);
    expect(bytes.gitea).toBeLessThan(201_000 + 256 * 1024);
    expect(bytes.mailserver).toBeGreaterThanOrEqual(53_000);
    expect(bytes.nextcloud).toBe(0);
    expect(second.body.services.find((s: { service: string }) => s.service === 'mailserver').folders).toEqual(['/var/vmail', '/var/sieve']);
  });

  it('counts a hard-linked file once and does not follow symbolic links', async () => {
    writeFile('var/lib/nextcloud/data/big', 300_000);
    fs.linkSync(path.join(temp.root, 'var/lib/nextcloud/data/big'), path.join(temp.root, 'var/lib/nextcloud/data/big-link'));
    writeFile('var/lib/pleroma/outside/huge', 400_000);
    fs.symlinkSync(path.join(temp.root, 'var/lib/pleroma/outside'), path.join(temp.root, 'var/lib/nextcloud/elsewhere'));
    const probe = createStorageProbe(temp.paths);
    const nextcloud = await probe.folderBytes('/var/lib/nextcloud');
    expect(nextcloud).toBeGreaterThanOrEqual(300_000);
    expect(nextcloud).toBeLessThan(400_000);
  });

  it('keeps answering from the cache and measures again once the sizes are old', async () => {
    let now = new Date('2030-01-01T00:00:00Z');
    writeFile('var/lib/gitea/one', 100_000);
    const storage = new StorageMonitor(probeWith({}), { log: silentLogger, sizesMaxAgeMs: 60_000, now: () => now });
    await getWith(storage);
    await storage.sizesSettled();
    const measured = (await getWith(storage)).body;
    writeFile('var/lib/gitea/two', 500_000);
    now = new Date(now.getTime() + 30_000);
    const fresh = (await getWith(storage)).body;
    expect(fresh.computing).toBe(false);
    expect(fresh.services).toEqual(measured.services);
    now = new Date(now.getTime() + 60_000);
    const stale = (await getWith(storage)).body;
    expect(stale.computing).toBe(true);
    expect(stale.services).toEqual(measured.services);
    await storage.sizesSettled();
    const gitea = (await getWith(storage)).body.services.find((s: { service: string }) => s.service === 'gitea');
    expect(gitea.bytes).toBeGreaterThanOrEqual(600_000);
  });

  it('reports null for a service whose folder cannot be read', async () => {
    const probe: StorageProbe = {
      ...probeWith({}),
      folderBytes: async (folder) => {
        if (folder === '/var/lib/gitea') throw Object.assign(new Error('denied'), { code: 'EACCES' });
        return 1234;
      },
    };
    const storage = new StorageMonitor(probe, { log: silentLogger });
    await getWith(storage);
    await storage.sizesSettled();
    const services = (await getWith(storage)).body.services;
    expect(services.find((s: { service: string }) => s.service === 'gitea').bytes).toBeNull();
    expect(services.find((s: { service: string }) => s.service === 'mailserver').bytes).toBe(2468);
  });

  it('answers 503 when the mount table is missing', async () => {
    fs.rmSync(temp.paths.mountTable);
    const { status, body } = await call(getStorage, jsonRequest('GET', '/system/storage'), makeCtx(temp));
    expect(status).toBe(503);
    expect(body).toEqual({ error: 'The mount table cannot be read' });
  });

  it('measures the real mount points under the root with the default monitor', async () => {
    const ctx = makeCtx(temp);
    const { status, body } = await call(getStorage, jsonRequest('GET', '/system/storage'), ctx);
    await ctx.storage.sizesSettled();
    expect(status).toBe(200);
    for (const filesystem of body.filesystems) {
      expect(filesystem.totalBytes).toBeGreaterThan(0);
      expect(filesystem.usedBytes + filesystem.freeBytes).toBeLessThanOrEqual(filesystem.totalBytes);
    }
  });
});
