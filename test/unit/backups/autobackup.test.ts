// Automatic backups and their settings: the REST 1.3 endpoints, the schedule, rotation's flags, waiting behind a restore.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { servicesDue } from '../../../backups/autobackup-schedule.js';
import { keepFlags } from '../../../backups/rotation.js';
import getAutobackupSettings from '../../../functions/backups/autobackup-settings.js';
import putAutobackupPeriod from '../../../functions/backups/set-autobackup-period.js';
import putAutobackupQuotas from '../../../functions/backups/set-autobackup-quotas.js';
import { call, jsonRequest } from '../../helpers/function-call.js';
import { makeBackupHarness, type BackupHarness } from '../../helpers/backup-harness.js';
import { waitFor } from '../../helpers/wait.js';

let harness: BackupHarness | undefined;
afterEach(async () => {
  await harness?.cleanup();
  harness = undefined;
});

const settings = async (): Promise<any> => (await call(getAutobackupSettings, jsonRequest('GET', '/services/restic/autobackup'), (harness as BackupHarness).ctx)).body;

describe('GET and PUT /services/restic/autobackup', () => {
  it('answers no period and keep-all quotas until set, then what was stored; 0 and null turn it off', async () => {
    harness = makeBackupHarness();
    const { ctx } = harness;
    expect(await settings()).toEqual({ period: null, quotas: { last: -1, daily: -1, weekly: -1, monthly: -1, yearly: -1 } });

    const set = await call(putAutobackupPeriod, jsonRequest('PUT', '/services/restic/autobackup/period', { body: { period: 1440 } }), ctx);
    expect(set).toMatchObject({ status: 200, body: { period: 1440 } });
    const quotas = { last: 5, daily: 7, weekly: 4, monthly: 6, yearly: -1 };
    expect(await call(putAutobackupQuotas, jsonRequest('PUT', '/services/restic/autobackup/quotas', { body: quotas }), ctx)).toMatchObject({ status: 200, body: { period: 1440, quotas } });
    expect(await settings()).toEqual({ period: 1440, quotas });
    for (const off of [0, null]) {
      await call(putAutobackupPeriod, jsonRequest('PUT', '/services/restic/autobackup/period', { body: { period: 60 } }), ctx);
      expect((await call(putAutobackupPeriod, jsonRequest('PUT', '/services/restic/autobackup/period', { body: { period: off } }), ctx)).body.period).toBeNull();
    }
    // In the API's own state: owner-only, outside what backups hold.
    const file = path.join(harness.temp.paths.backupWorkFolder, 'preferences.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses a bad period or bad quotas with 400 and keeps what was stored', async () => {
    harness = makeBackupHarness();
    const { ctx } = harness;
    await call(putAutobackupPeriod, jsonRequest('PUT', '/services/restic/autobackup/period', { body: { period: 30 } }), ctx);
    for (const body of [{ period: -1 }, { period: 1.5 }, { period: '60' }, {}, { period: 60 * 24 * 400 }]) {
      const answer = await call(putAutobackupPeriod, jsonRequest('PUT', '/services/restic/autobackup/period', { body }), ctx);
      expect(answer.status, JSON.stringify(body)).toBe(400);
    }
    for (const body of [{ last: 1, daily: 1, weekly: 1, monthly: 1 }, { last: -2, daily: 1, weekly: 1, monthly: 1, yearly: 1 }]) {
      expect((await call(putAutobackupQuotas, jsonRequest('PUT', '/services/restic/autobackup/quotas', { body }), ctx)).status).toBe(400);
    }
    expect(await settings()).toEqual({ period: 30, quotas: { last: -1, daily: -1, weekly: -1, monthly: -1, yearly: -1 } });
  });
});

describe('the schedule', () => {
  const snapshot = (tags: string[], time: string) => ({ id: `${tags.join('')}${time}`, short_id: 'x', time, tags });
  const now = new Date('2026-12-01T12:00:00Z');

  it('is due for a service never backed up, or whose newest snapshot of any reason is a period old', () => {
    const snapshots = [
      snapshot(['nextcloud', 'auto'], '2026-12-01T10:00:00Z'),
      snapshot(['gitea', 'explicit'], '2026-12-01T11:30:00Z'),
      snapshot(['bitwarden', 'auto'], '2026-12-01T09:59:59Z'),
      // A whole-server snapshot belongs to no service.
      { id: 'w', short_id: 'w', time: '2026-12-01T11:59:00Z' },
    ];
    expect(servicesDue(['nextcloud', 'gitea', 'bitwarden', 'ocserv'], snapshots, 120, now)).toEqual(['nextcloud', 'bitwarden', 'ocserv']);
  });
});

describe('rotation flags', () => {
  it('writes each non-zero quota as restic\'s keep flag, -1 as a count no server reaches', () => {
    expect(keepFlags({ last: 3, daily: 0, weekly: 2, monthly: -1, yearly: 0 })).toEqual(['--keep-last', '3', '--keep-weekly', '2', '--keep-monthly', '52704000']);
  });

  it('does not rotate when every snapshot is kept anyway, nor when no kind keeps anything', () => {
    expect(keepFlags({ last: -1, daily: 2, weekly: 2, monthly: 2, yearly: 2 })).toBeUndefined();
    expect(keepFlags({ last: 0, daily: 0, weekly: 0, monthly: 0, yearly: 0 })).toBeUndefined();
  });
});

describe('the scheduler in the controller', () => {
  it('backs up due services with reason AUTO, but only after a running restore has ended', async () => {
    const restoring = [{ id: 'a'.repeat(64), short_id: 'aaaaaaaa', time: '2026-01-01T00:00:00Z', tags: [] }];
    harness = makeBackupHarness({ behaviour: { snapshots: restoring, restore: { gate: 'restore' } }, settings: { autobackupCheckSeconds: 0.05 } });
    const { controller, restic, temp } = harness;
    fs.mkdirSync(path.join(temp.root, 'var/lib/nextcloud'), { recursive: true });
    fs.writeFileSync(path.join(temp.root, 'var/lib/nextcloud/file'), 'x');
    controller.start();
    await waitFor(() => controller.status().status === 'INITIALIZED', 'INITIALIZED');
    const restore = await controller.startRestore('aaaaaaaa');
    await waitFor(() => restic.calls().some((call) => call.args.includes('restore')), 'restic restore to run');
    await controller.setAutobackupPeriod(60);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(restic.calls().filter((call) => call.args.includes('backup'))).toEqual([]);

    restic.open('restore');
    await waitFor(async () => (await harness?.jobs.get(restore.id))?.state !== 'running', 'the restore to end');
    await waitFor(() => restic.behaviour().snapshots.length === 2, 'the automatic backup');
    expect(restic.behaviour().snapshots[1]).toMatchObject({ paths: ['var/lib/nextcloud'], tags: ['nextcloud', 'auto'] });
    await new Promise((resolve) => setTimeout(resolve, 400));
    // Not again within the period.
    expect(restic.calls().filter((call) => call.args.includes('backup'))).toHaveLength(1);
  });
});
