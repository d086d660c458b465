import path from 'node:path';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import backupStatus from '../../../functions/backups/backup-status.js';
import createBackup from '../../../functions/backups/create-backup.js';
import listBackups from '../../../functions/backups/list-backups.js';
import getJob from '../../../functions/jobs/get-job.js';
import { call, jsonRequest } from '../../helpers/function-call.js';
import { makeBackupHarness, TEST_RESTIC_PASSWORD, type BackupHarness } from '../../helpers/backup-harness.js';
import { waitFor } from '../../helpers/wait.js';
import { fixture } from '../../helpers/temp-root.js';

let harness: BackupHarness;
afterEach(() => harness.cleanup());

const create = () => call(createBackup, jsonRequest('PUT', '/services/restic/backup/create'), harness.ctx);
const status = async (): Promise<any> => (await call(backupStatus, jsonRequest('GET', '/services/restic/backup/status'), harness.ctx)).body;
const list = async (): Promise<any[]> => (await call(listBackups, jsonRequest('GET', '/services/restic/backup/list'), harness.ctx)).body;
const statusBecomes = (state: string) => waitFor(async () => ((await status()).status === state ? status() : undefined), `status ${state}`);
const backupCalls = () => harness.restic.calls().filter((c) => c.args.includes('backup'));

describe('PUT /services/restic/backup/create', () => {
  it('answers at once, reports BACKING_UP with restic\'s progress, then INITIALIZED with the new snapshot listed', async () => {
    harness = makeBackupHarness({ behaviour: { backup: { progress: [0, 0.25, 0.5], gate: 'backup' } } });
    harness.controller.start();
    await statusBecomes('INITIALIZED');

    const { status: code, body } = await create();
    expect(code).toBe(200);
    expect(body).toEqual({ status: 0, message: 'Backup creation has started' });
    expect((await status()).status).toBe('BACKING_UP');
    await waitFor(async () => (await status()).progress === 0.5, 'progress 0.5 from restic\'s status lines');

    harness.restic.open('backup');
    expect(await statusBecomes('INITIALIZED')).toEqual({ status: 'INITIALIZED', progress: 0, error_message: null });
    await waitFor(async () => (await list()).length === 1, 'the new snapshot in the list');
    expect((await list())[0].short_id).toBe(harness.restic.behaviour().snapshots[0]?.short_id);
  });

  it('backs up var and userdata.json from the root, leaving out its own files, with the password in the environment only', async () => {
    harness = makeBackupHarness();
    harness.controller.start();
    await statusBecomes('INITIALIZED');
    await create();
    await waitFor(() => backupCalls().length === 1 && harness.restic.behaviour().snapshots.length === 1, 'the backup');
    const [backup] = backupCalls();
    expect(backup?.args).toEqual([
      '--no-cache', '-r', harness.settings.resticRepository,
      'backup', '--json', '--exclude', harness.temp.paths.apiStateFolder, '--exclude', path.dirname(harness.temp.paths.auditLog),
      '--', 'var', 'etc/nixos/userdata/userdata.json',
    ]);
    expect(backup?.cwd).toBe(harness.temp.root);
    for (const call of harness.restic.calls()) {
      expect(call.password).toBe(TEST_RESTIC_PASSWORD);
      expect(call.args.join(' ')).not.toContain(TEST_RESTIC_PASSWORD);
    }
  });

  it('initialises a repository that disappeared since start before the backup', async () => {
    harness = makeBackupHarness();
    harness.controller.start();
    await statusBecomes('INITIALIZED');
    harness.restic.setBehaviour({ repositoryExists: false });
    harness.controller.requestReload();
    await statusBecomes('NOT_INITIALIZED');
    expect((await create()).status).toBe(200);
    await statusBecomes('INITIALIZED');
    const commands = harness.restic.calls().map((c) => c.args.slice(3).filter((a) => !a.startsWith('-'))[0]);
    expect(commands).toEqual(['snapshots', 'snapshots', 'cat', 'init', 'backup', 'snapshots']);
    expect(await list()).toHaveLength(1);
  });

  it('reaches Backblaze through rclone, with the account key only in rclone.conf (mode 0600)', async () => {
    harness = makeBackupHarness({ settings: { resticRepository: undefined } });
    harness.controller.start();
    await statusBecomes('INITIALIZED');
    await create();
    await statusBecomes('INITIALIZED');
    const { accountId, accountKey } = (fixture('userdata.json') as any).backblaze;
    const [backup] = backupCalls();
    expect(backup?.args.slice(0, 4)).toEqual(['-o', 'rclone.args=serve restic --stdio', '-r', 'rclone:backblaze:selfprivacy-test-tld/sfbackup']);
    expect(backup?.rcloneConfig).toBe(harness.temp.paths.rcloneConfig);
    expect(fs.readFileSync(harness.temp.paths.rcloneConfig, 'utf8')).toBe(`[backblaze]\ntype = b2\naccount = ${accountId}\nkey = ${accountKey}\n`);
    expect(fs.statSync(harness.temp.paths.rcloneConfig).mode & 0o777).toBe(0o600);
    for (const call of harness.restic.calls()) expect(call.args.join(' ')).not.toContain(accountKey);
  });

  it('refuses a second backup with 409 while one runs', async () => {
    harness = makeBackupHarness({ behaviour: { backup: { gate: 'backup' } } });
    harness.controller.start();
    await statusBecomes('INITIALIZED');
    expect((await create()).status).toBe(200);
    const second = await create();
    expect(second.status).toBe(409);
    expect(second.body.error).toBe('A backup is already running');
    harness.restic.open('backup');
    await statusBecomes('INITIALIZED');
    expect(backupCalls()).toHaveLength(1);
  });

  it('answers 400 without Backblaze settings', async () => {
    const { backblaze: _dropped, ...userdata } = fixture('userdata.json') as Record<string, unknown>;
    harness = makeBackupHarness({ root: { userdata }, settings: { resticRepository: undefined } });
    harness.controller.start();
    const { status: code, body } = await create();
    expect(code).toBe(400);
    expect(body.error).toMatch(/Backblaze settings are not set/);
    expect(harness.restic.calls()).toEqual([]);
  });

  it('answers 400 while the repository is being initialised', async () => {
    harness = makeBackupHarness({ behaviour: { listGate: 'list' } });
    harness.controller.start();
    expect((await status()).status).toBe('INITIALIZING');
    expect((await create()).status).toBe(400);
    harness.restic.open('list');
    await statusBecomes('INITIALIZED');
    expect(backupCalls()).toEqual([]);
  });

  it('reports ERROR with restic\'s reason when restic fails mid-run, and the next good backup clears it', async () => {
    harness = makeBackupHarness({ behaviour: { backup: { progress: [0, 0.4], failWith: 'Fatal: unable to save snapshot: no space left on device' } } });
    harness.controller.start();
    await statusBecomes('INITIALIZED');
    await create();
    const failed = await statusBecomes('ERROR');
    expect(failed).toEqual({ status: 'ERROR', progress: 0, error_message: 'The backup failed: Fatal: unable to save snapshot: no space left on device' });
    expect(await list()).toEqual([]);

    harness.restic.setBehaviour({ backup: {} });
    expect((await create()).status).toBe(200);
    expect(await statusBecomes('INITIALIZED')).toMatchObject({ error_message: null });
  });

  it('records the backup as a job named by the Location header: succeeded after a good run, failed with restic\'s reason after a bad one', async () => {
    const job = async (location: string | null): Promise<any> => {
      const id = (location ?? '').replace('/jobs/', '');
      return (await call(getJob, jsonRequest('GET', `/jobs/${id}`), { ...harness.ctx, params: { id } })).body;
    };
    harness = makeBackupHarness();
    harness.controller.start();
    await statusBecomes('INITIALIZED');
    const good = await create();
    expect(good.response.headers.get('location')).toMatch(/^\/jobs\/[\w-]+$/);
    const done = await waitFor(async () => ((await job(good.response.headers.get('location'))).state === 'succeeded' ? job(good.response.headers.get('location')) : undefined), 'the job to succeed');
    expect(done).toMatchObject({ type: 'backup', state: 'succeeded' });

    harness.restic.setBehaviour({ backup: { failWith: 'Fatal: repository is locked' } });
    const bad = await create();
    const failed = await waitFor(async () => ((await job(bad.response.headers.get('location'))).state === 'failed' ? job(bad.response.headers.get('location')) : undefined), 'the job to fail');
    expect(JSON.stringify(failed)).toContain('Fatal: repository is locked');
  });

  it('reports a backup saved with unreadable files as ERROR naming the snapshot', async () => {
    harness = makeBackupHarness({ behaviour: { backup: { failWith: 'error: open var/secret: permission denied', exitCode: 3 } } });
    harness.controller.start();
    await statusBecomes('INITIALIZED');
    await create();
    const saved = await waitFor(() => harness.restic.behaviour().snapshots[0]?.short_id, 'the snapshot');
    expect((await statusBecomes('ERROR')).error_message).toBe(
      `The backup was saved as snapshot ${saved}, but some files could not be read: error: open var/secret: permission denied`,
    );
    await waitFor(async () => (await list()).length === 1, 'the saved snapshot listed');
  });

  it('reports ERROR, never a stuck BACKING_UP, when restic is missing from PATH', async () => {
    harness = makeBackupHarness({ withoutRestic: true });
    harness.controller.start();
    await statusBecomes('ERROR');
    expect((await create()).status).toBe(200);
    const body = await waitFor(async () => {
      const current = await status();
      return current.status === 'ERROR' && /^Could not open the backup repository/.test(current.error_message) ? current : undefined;
    }, 'the backup to fail');
    expect(body.error_message).toMatch(/restic could not be started/);
  });
});
