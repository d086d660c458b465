import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import backupStatus from '../../../functions/backups/backup-status.js';
import createBackup from '../../../functions/backups/create-backup.js';
import restoreBackup from '../../../functions/backups/restore-backup.js';
import { RESTORE_STOPPED_UNITS } from '../../../backups/restore-units.js';
import { call, jsonRequest } from '../../helpers/function-call.js';
import { makeBackupHarness, type BackupHarness, type BackupHarnessOptions } from '../../helpers/backup-harness.js';
import { waitFor } from '../../helpers/wait.js';
import { fixture } from '../../helpers/temp-root.js';

let harness: BackupHarness;
afterEach(() => harness.cleanup());

const SNAPSHOTS = fixture<any[]>('restic-snapshots.json');
const [OLDER] = SNAPSHOTS;

const restore = (body: unknown) => call(restoreBackup, jsonRequest('PUT', '/services/restic/backup/restore', { body }), harness.ctx);
const status = async (): Promise<any> => (await call(backupStatus, jsonRequest('GET', '/services/restic/backup/status'), harness.ctx)).body;
const statusBecomes = (state: string) => waitFor(async () => ((await status()).status === state ? status() : undefined), `status ${state}`);
const systemctlCalls = () => harness.systemctl.calls().filter((c) => c.args[0] !== 'is-active').map((c) => c.args);

async function ready(options: BackupHarnessOptions = {}): Promise<void> {
  harness = makeBackupHarness({ ...options, behaviour: { snapshots: SNAPSHOTS, ...options.behaviour } });
  harness.controller.start();
  await statusBecomes('INITIALIZED');
}

describe('PUT /services/restic/backup/restore', () => {
  it('stops the running services, restores into the root, brings userdata back and starts the services again', async () => {
    const backedUp = { ...fixture('userdata.json'), username: 'restored', backblaze: { accountId: 'old', accountKey: 'old', bucket: 'old-bucket' } };
    await ready({ behaviour: { restore: { gate: 'restore' }, dumpUserdata: JSON.stringify(backedUp) } });
    const currentAccount = harness.temp.readUserdata().backblaze;

    const { status: code, body } = await restore({ backupId: OLDER.short_id });
    expect(code).toBe(200);
    expect(body).toEqual({ status: 0, message: 'Backup restoration procedure started' });
    expect((await status()).status).toBe('RESTORING');
    await waitFor(() => harness.restic.calls().some((c) => c.args.includes('restore')), 'restic restore to start');
    expect(systemctlCalls()).toEqual([['stop', '--', ...RESTORE_STOPPED_UNITS]]);

    harness.restic.open('restore');
    expect(await statusBecomes('INITIALIZED')).toEqual({ status: 'INITIALIZED', progress: 0, error_message: null });
    expect(systemctlCalls()).toEqual([['stop', '--', ...RESTORE_STOPPED_UNITS], ['start', '--', ...RESTORE_STOPPED_UNITS]]);
    const restoreCall = harness.restic.calls().find((c) => c.args.includes('restore'));
    expect(restoreCall?.args.slice(3)).toEqual([
      // A root-only staging folder, moved into the root afterwards; the API's records are never restored.
      'restore', '--json', '--target', path.join(harness.temp.paths.apiStateFolder, 'restore-staging'),
      '--exclude', '/etc/nixos/userdata/userdata.json', '--exclude', '/var/lib/selfprivacy-api', '--exclude', '/var/log/selfprivacy-api', '--', OLDER.id,
    ]);
    const dumpCall = harness.restic.calls().find((c) => c.args.includes('dump'));
    expect(dumpCall?.args.slice(3)).toEqual(['dump', '--', OLDER.id, '/etc/nixos/userdata/userdata.json']);
    // The backup's settings are back; the Backblaze account that reached the backup is kept.
    expect(harness.temp.readUserdata()).toEqual({ ...backedUp, backblaze: currentAccount });
  });

  it('leaves services that were not running stopped', async () => {
    await ready({ systemctl: { exitCode: 3 } });
    await restore({ backupId: OLDER.short_id });
    await statusBecomes('INITIALIZED');
    expect(harness.systemctl.calls()).toHaveLength(RESTORE_STOPPED_UNITS.length);
    expect(systemctlCalls()).toEqual([]);
  });

  it('starts the services again when the restore fails, and reports why', async () => {
    await ready({ behaviour: { restore: { failWith: 'Fatal: unable to load snapshot: connection reset' } } });
    await restore({ backupId: OLDER.id });
    const failed = await statusBecomes('ERROR');
    expect(failed.error_message).toBe('The restore failed: Fatal: unable to load snapshot: connection reset');
    expect(systemctlCalls()).toEqual([['stop', '--', ...RESTORE_STOPPED_UNITS], ['start', '--', ...RESTORE_STOPPED_UNITS]]);
  });

  it('keeps the current settings when the backup holds no userdata.json (snapshots of the original API)', async () => {
    await ready();
    const before = harness.temp.userdataBytes();
    await restore({ backupId: OLDER.short_id });
    await statusBecomes('INITIALIZED');
    expect(harness.temp.userdataBytes()).toBe(before);
  });

  it('keeps the current settings and reports ERROR when the backup\'s userdata.json is not JSON', async () => {
    await ready({ behaviour: { dumpUserdata: '{"username": "cut' } });
    const before = harness.temp.userdataBytes();
    await restore({ backupId: OLDER.short_id });
    expect((await statusBecomes('ERROR')).error_message).toMatch(/userdata\.json is not a JSON object; the current settings were kept/);
    expect(harness.temp.userdataBytes()).toBe(before);
  });

  it('answers 404 for an unknown backupId and runs nothing', async () => {
    await ready();
    for (const backupId of ['deadbeef', '../../etc', OLDER.short_id.toUpperCase()]) {
      const { status: code, body } = await restore({ backupId });
      expect(code).toBe(404);
      expect(body).toEqual({ error: 'Backup not found' });
    }
    expect(harness.systemctl.calls()).toEqual([]);
  });

  it('answers 400 naming backupId when it is missing or not a string', async () => {
    await ready();
    for (const body of [{}, { backupId: 7 }, { backupId: '' }]) {
      const result = await restore(body);
      expect(result.status).toBe(400);
      expect(result.body.field).toBe('backupId');
    }
  });

  it('answers 409 during a backup, and 409 during another restore', async () => {
    await ready({ behaviour: { backup: { gate: 'backup' }, restore: { gate: 'restore' } } });
    await call(createBackup, jsonRequest('PUT', '/services/restic/backup/create'), harness.ctx);
    expect((await restore({ backupId: OLDER.short_id })).status).toBe(409);
    harness.restic.open('backup');
    await statusBecomes('INITIALIZED');

    expect((await restore({ backupId: OLDER.short_id })).status).toBe(200);
    const second = await restore({ backupId: OLDER.short_id });
    expect(second.status).toBe(409);
    expect(second.body.error).toBe('A restore is running');
    const backupDuringRestore = await call(createBackup, jsonRequest('PUT', '/services/restic/backup/create'), harness.ctx);
    expect(backupDuringRestore.status).toBe(409);
    harness.restic.open('restore');
    await statusBecomes('INITIALIZED');
    expect(harness.restic.calls().filter((c) => c.args.includes('restore'))).toHaveLength(1);
  });

  it('answers 400 when the repository is not initialised', async () => {
    await ready();
    // Gone since start (a missing repository at start is initialised there).
    harness.restic.setBehaviour({ repositoryExists: false });
    harness.controller.requestReload();
    await statusBecomes('NOT_INITIALIZED');
    const { status: code, body } = await restore({ backupId: OLDER.short_id });
    expect(code).toBe(400);
    expect(body.error).toMatch(/not initialised/);
  });
});
