// Unit tests of the GraphQL "backups" area through the /graphql function unit, on the restic controller with the stand-in restic.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Ctx } from '../../../kit/context.js';
import { makeBackupHarness, TEST_RESTIC_PASSWORD, type BackupHarness } from '../../helpers/backup-harness.js';
import { waitFor } from '../../helpers/wait.js';
import { PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { sendAppOperation } from './app-operation.js';
import { gql, graphqlEndpoint } from './graphql-call.js';

let harness: BackupHarness;
afterEach(() => harness.cleanup());

/** The harness's ctx as the /graphql unit receives it: the caller is set by the token gate. */
const graphqlCtx = (): Ctx => ({ ...harness.ctx, caller: null });
const statusIs = (state: string) => waitFor(() => harness.controller.status().status === state, `backup status ${state}`);
const jobEnded = (id: string) => waitFor(async () => (await harness.ctx.jobs.get(id))?.state !== 'running', `job ${id} to end`);

/** A file in a service's data folder, so the service has something to back up. */
function serviceFile(relative: string, content = 'data'): void {
  const file = path.join(harness.temp.root, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

const SNAPSHOTS = [
  { id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9', short_id: 'a1b2c3d4', time: '2026-11-01T10:00:00.000000000Z' },
  { id: 'f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f', short_id: 'f0e1d2c3', time: '2026-11-20T10:00:00.000000000Z' },
];

describe('configuration and snapshots', () => {
  it('BackupConfiguration describes the Backblaze repository and answers its password as the encryption key', async () => {
    harness = makeBackupHarness({ settings: { resticRepository: undefined } });
    const config = (await sendAppOperation(graphqlCtx(), 'BackupConfiguration')).body.data.backup.configuration;
    expect(config).toMatchObject({ provider: 'BACKBLAZE', locationName: 'selfprivacy-test-tld', locationId: null, encryptionKey: TEST_RESTIC_PASSWORD, autobackupPeriod: null });
    expect(config.autobackupQuotas).toEqual({ last: -1, daily: -1, weekly: -1, monthly: -1, yearly: -1 });
  });

  it('BackupConfiguration says NONE and not initialised without any repository', async () => {
    harness = makeBackupHarness({ settings: { resticRepository: undefined } });
    const { backblaze: _gone, ...userdata } = harness.temp.readUserdata();
    harness.temp.writeUserdata(userdata);
    const config = (await sendAppOperation(graphqlCtx(), 'BackupConfiguration')).body.data.backup.configuration;
    expect(config).toMatchObject({ provider: 'NONE', isInitialized: false, locationName: null, encryptionKey: '' });
  });

  it('AllBackupSnapshots lists restic\'s snapshots newest first, each of the whole server', async () => {
    harness = makeBackupHarness({ behaviour: { snapshots: SNAPSHOTS } });
    harness.controller.start();
    await statusIs('INITIALIZED');
    const snapshots = (await sendAppOperation(graphqlCtx(), 'AllBackupSnapshots')).body.data.backup.allSnapshots;
    expect(snapshots).toEqual([
      { id: SNAPSHOTS[1]?.id, createdAt: SNAPSHOTS[1]?.time, reason: 'EXPLICIT', service: { id: 'whole-server', displayName: 'Whole server' } },
      { id: SNAPSHOTS[0]?.id, createdAt: SNAPSHOTS[0]?.time, reason: 'EXPLICIT', service: { id: 'whole-server', displayName: 'Whole server' } },
    ]);
    const config = (await sendAppOperation(graphqlCtx(), 'BackupConfiguration')).body.data.backup.configuration;
    expect(config).toMatchObject({ provider: 'FILE', isInitialized: true });
  });

  it('answers each service\'s own snapshots as its backupSnapshots', async () => {
    const tagged = (id: string, tags: string[]) => ({ id: id.repeat(64), short_id: id.repeat(8), time: '2026-11-01T10:00:00Z', tags });
    harness = makeBackupHarness({ behaviour: { snapshots: [tagged('1', ['gitea', 'explicit']), tagged('2', ['nextcloud', 'auto']), SNAPSHOTS[0] as any] } });
    harness.controller.start();
    await statusIs('INITIALIZED');
    const query = '{ services { allServices { id backupSnapshots { id reason service { id } } } } }';
    const services = (await gql(graphqlEndpoint, graphqlCtx(), query, { token: PRIMARY_TOKEN })).body.data.services.allServices;
    const of = (id: string) => services.find((service: { id: string }) => service.id === id).backupSnapshots;
    expect(of('gitea')).toEqual([{ id: '1'.repeat(64), reason: 'EXPLICIT', service: { id: 'gitea' } }]);
    expect(of('nextcloud')).toEqual([{ id: '2'.repeat(64), reason: 'AUTO', service: { id: 'nextcloud' } }]);
    expect(of('bitwarden')).toEqual([]);
  });

  it('ForceSnapshotsReload asks restic for the list again', async () => {
    harness = makeBackupHarness();
    harness.controller.start();
    await statusIs('INITIALIZED');
    harness.restic.setBehaviour({ snapshots: SNAPSHOTS });
    const answer = await sendAppOperation(graphqlCtx(), 'ForceSnapshotsReload');
    expect(answer.body.data.backup.forceSnapshotsReload).toEqual({ success: true, code: 200, message: 'Snapshots reload started' });
    await waitFor(() => harness.controller.snapshots().length === 2, 'the reloaded list');
  });
});

describe('backup and restore jobs', () => {
  it('StartBackup of two services gives each its own job, queued one after the other, each snapshot tagged', async () => {
    harness = makeBackupHarness({ behaviour: { backup: { gate: 'backup' } } });
    serviceFile('var/lib/nextcloud/data/photo.jpg');
    serviceFile('var/lib/gitea/repositories/notes.git/config');
    harness.controller.start();
    await statusIs('INITIALIZED');
    const first = (await sendAppOperation(graphqlCtx(), 'StartBackup', { serviceId: 'nextcloud' })).body.data.backup.startBackup;
    const second = (await sendAppOperation(graphqlCtx(), 'StartBackup', { serviceId: 'gitea' })).body.data.backup.startBackup;
    for (const [result, service] of [[first, 'nextcloud'], [second, 'gitea']]) {
      expect(result).toMatchObject({ success: true, code: 200, message: 'Backup job queued' });
      expect(result.job).toMatchObject({ status: 'RUNNING', typeId: `services.${service}.backup` });
    }
    expect(first.job.uid).not.toBe(second.job.uid);
    // The job list names each job as the answer that started it did: the app matches them by typeId.
    const jobList = (await sendAppOperation(graphqlCtx(), 'GetApiJobs')).body.data.jobs.getJobs;
    for (const started of [first.job, second.job]) expect(jobList.find((job: { uid: string }) => job.uid === started.uid)).toMatchObject({ typeId: started.typeId, name: started.name });
    expect(first.job.name).toBe('Backup Nextcloud');
    expect(harness.controller.status().status).toBe('BACKING_UP');
    // The second waits for the first: one restic backup at a time.
    await waitFor(() => harness.restic.calls().some((call) => call.args.includes('backup')), 'the first backup to start');
    expect(harness.restic.calls().filter((call) => call.args.includes('backup'))).toHaveLength(1);

    harness.restic.open('backup');
    await jobEnded(first.job.uid);
    await jobEnded(second.job.uid);
    expect((await harness.ctx.jobs.get(second.job.uid))?.state).toBe('succeeded');
    const made = harness.restic.behaviour().snapshots.map((snapshot) => ({ paths: snapshot.paths, tags: snapshot.tags }));
    expect(made).toEqual([
      { paths: ['var/lib/nextcloud'], tags: ['nextcloud', 'explicit'] },
      { paths: ['var/lib/gitea'], tags: ['gitea', 'explicit'] },
    ]);
    await waitFor(() => harness.controller.snapshots().length === 2, 'the list to hold both');
    const listed = (await sendAppOperation(graphqlCtx(), 'AllBackupSnapshots')).body.data.backup.allSnapshots;
    expect(listed.map((each: { reason: string; service: { id: string } }) => [each.service.id, each.reason]).sort()).toEqual([
      ['gitea', 'EXPLICIT'],
      ['nextcloud', 'EXPLICIT'],
    ]);
  });

  it('StartBackup of a service with no data folder answers 400 and runs nothing', async () => {
    harness = makeBackupHarness();
    harness.controller.start();
    await statusIs('INITIALIZED');
    const calls = harness.restic.calls().length;
    const result = (await sendAppOperation(graphqlCtx(), 'StartBackup', { serviceId: 'pleroma' })).body.data.backup.startBackup;
    expect(result).toMatchObject({ success: false, code: 400, job: null });
    expect(result.message).toMatch(/^Pleroma has no data on this server yet/);
    expect(harness.restic.calls()).toHaveLength(calls);
  });

  it('StartBackup of whole-server runs REST\'s whole-server backup', async () => {
    harness = makeBackupHarness();
    harness.controller.start();
    await statusIs('INITIALIZED');
    const result = (await sendAppOperation(graphqlCtx(), 'StartBackup', { serviceId: 'whole-server' })).body.data.backup.startBackup;
    expect(result.job).toMatchObject({ typeId: 'backups.all.backup' });
    await jobEnded(result.job.uid);
    expect(harness.restic.behaviour().snapshots[0]?.tags).toEqual([]);
  });

  it('StartBackup answers 404 for a service that does not exist, and starts nothing', async () => {
    harness = makeBackupHarness();
    const result = (await sendAppOperation(graphqlCtx(), 'StartBackup', { serviceId: 'matrix' })).body.data.backup.startBackup;
    expect(result).toEqual({ success: false, code: 404, message: 'Nonexistent service: matrix', job: null });
    expect(harness.restic.calls()).toEqual([]);
  });

  it('RestoreBackup restores the snapshot named by its id as a job; an unknown id is 404', async () => {
    harness = makeBackupHarness({ behaviour: { snapshots: SNAPSHOTS } });
    harness.controller.start();
    await statusIs('INITIALIZED');
    const missing = (await sendAppOperation(graphqlCtx(), 'RestoreBackup', { snapshotId: 'ffffffff' })).body.data.backup.restoreBackup;
    expect(missing).toEqual({ success: false, code: 404, message: 'Snapshot not found', job: null });

    const id = SNAPSHOTS[0]?.id as string;
    const result = (await sendAppOperation(graphqlCtx(), 'RestoreBackup', { snapshotId: id })).body.data.backup.restoreBackup;
    expect(result).toMatchObject({ success: true, code: 200, message: 'Restore job created' });
    expect(result.job.typeId).toBe('backups.all.restore');
    await waitFor(async () => (await harness.ctx.jobs.get(result.job.uid))?.state !== 'running', 'the restore to end');
    const restore = harness.restic.calls().find((each) => each.args.includes('restore'));
    expect(restore?.args).toContain(id);
  });
});

describe('repository settings', () => {
  const REPOSITORY = { provider: 'BACKBLAZE', locationId: 'bucket-id-1', locationName: 'my-new-bucket', login: '0031a2b3c4d5e6f0000000009', password: 'K003xNewApplicationKey' };

  it('InitializeRepository saves the Backblaze account', async () => {
    harness = makeBackupHarness({ settings: { resticRepository: undefined } });
    const result = (await sendAppOperation(graphqlCtx(), 'InitializeRepository', { repository: REPOSITORY })).body.data.backup.initializeRepository;
    expect(result).toMatchObject({ success: true, code: 200, message: 'New Backblaze settings saved' });
    expect(result.configuration).toMatchObject({ provider: 'BACKBLAZE', locationName: 'my-new-bucket' });
    expect(harness.temp.readUserdata().backblaze).toEqual({ accountId: REPOSITORY.login, accountKey: REPOSITORY.password, bucket: 'my-new-bucket' });
  });

  it('InitializeRepository refuses a bad key with 400 without echoing it, and other providers or a local secret as not supported', async () => {
    harness = makeBackupHarness({ settings: { resticRepository: undefined } });
    const before = harness.temp.userdataBytes();
    const bad = (await sendAppOperation(graphqlCtx(), 'InitializeRepository', { repository: { ...REPOSITORY, password: 'bad key; rm -rf' } })).body.data.backup
      .initializeRepository;
    expect(bad).toMatchObject({ success: false, code: 400 });
    expect(JSON.stringify(bad)).not.toContain('rm -rf');
    for (const repository of [{ ...REPOSITORY, provider: 'FILE' }, { ...REPOSITORY, localSecret: 'my own secret' }]) {
      const result = (await sendAppOperation(graphqlCtx(), 'InitializeRepository', { repository })).body.data.backup.initializeRepository;
      expect(result).toMatchObject({ success: false, code: 400 });
      expect(result.message).toMatch(/^Not supported on this server/);
    }
    expect(harness.temp.userdataBytes()).toBe(before);
  });

  it('SetAutobackupPeriod stores the period (0 or null: off) and setAutobackupQuotas the quotas; bad values are 400', async () => {
    harness = makeBackupHarness();
    const set = (await sendAppOperation(graphqlCtx(), 'SetAutobackupPeriod', { period: 60 })).body.data.backup.setAutobackupPeriod;
    expect(set).toMatchObject({ success: true, code: 200, configuration: { autobackupPeriod: 60 } });
    const off = (await sendAppOperation(graphqlCtx(), 'SetAutobackupPeriod', { period: 0 })).body.data.backup.setAutobackupPeriod;
    expect(off.configuration.autobackupPeriod).toBeNull();
    const negative = (await sendAppOperation(graphqlCtx(), 'SetAutobackupPeriod', { period: -5 })).body.data.backup.setAutobackupPeriod;
    expect(negative).toMatchObject({ success: false, code: 400, configuration: { autobackupPeriod: null } });

    const quotas = { last: 3, daily: 7, weekly: 4, monthly: 12, yearly: -1 };
    const stored = (await sendAppOperation(graphqlCtx(), 'setAutobackupQuotas', { quotas })).body.data.backup.setAutobackupQuotas;
    expect(stored).toMatchObject({ success: true, code: 200, configuration: { autobackupQuotas: quotas } });
    const bad = (await sendAppOperation(graphqlCtx(), 'setAutobackupQuotas', { quotas: { ...quotas, daily: -2 } })).body.data.backup.setAutobackupQuotas;
    expect(bad).toMatchObject({ success: false, code: 400, configuration: { autobackupQuotas: quotas } });
    // Kept by the API across its restarts.
    const { controller } = harness.restart();
    expect(controller.autobackupPreferences()).toEqual({ autobackupPeriod: null, quotas });
  });

  it('ForgetSnapshot removes the snapshot from the list at once, as a job; an unknown id is 404', async () => {
    harness = makeBackupHarness({ behaviour: { snapshots: SNAPSHOTS, forget: { gate: 'forget' } } });
    harness.controller.start();
    await statusIs('INITIALIZED');
    const unknown = (await sendAppOperation(graphqlCtx(), 'ForgetSnapshot', { snapshotId: 'ffffffff' })).body.data.backup.forgetSnapshot;
    expect(unknown).toMatchObject({ success: false, code: 404 });
    const id = SNAPSHOTS[0]?.id as string;
    const forgotten = (await sendAppOperation(graphqlCtx(), 'ForgetSnapshot', { snapshotId: id })).body.data.backup.forgetSnapshot;
    expect(forgotten).toEqual({ success: true, code: 200, message: 'Snapshot forgotten' });
    const listed = async () => (await sendAppOperation(graphqlCtx(), 'AllBackupSnapshots')).body.data.backup.allSnapshots.map((each: { id: string }) => each.id);
    expect(await listed()).toEqual([SNAPSHOTS[1]?.id]);
    // A reload while restic still holds it does not bring it back.
    await sendAppOperation(graphqlCtx(), 'ForceSnapshotsReload');
    await waitFor(() => harness.restic.calls().filter((call) => call.args.includes('snapshots')).length >= 2, 'the reload');
    expect(await listed()).toEqual([SNAPSHOTS[1]?.id]);
    harness.restic.open('forget');
    const job = (await harness.ctx.jobs.list()).find((each) => each.type === 'forget');
    await jobEnded(job?.id as string);
    expect((await harness.ctx.jobs.get(job?.id as string))?.state).toBe('succeeded');
    expect(harness.restic.calls().find((call) => call.args.includes('forget'))?.args.slice(-3)).toEqual(['--prune', '--', id]);
    const jobList = (await sendAppOperation(graphqlCtx(), 'GetApiJobs')).body.data.jobs.getJobs;
    expect(jobList.find((each: { uid: string }) => each.uid === job?.id)).toMatchObject({ typeId: 'backups.forget_snapshot', name: 'Forget snapshot', status: 'FINISHED' });
    expect(harness.restic.behaviour().snapshots.map((each) => each.id)).toEqual([SNAPSHOTS[1]?.id]);
    expect(await listed()).toEqual([SNAPSHOTS[1]?.id]);
  });

  it('RemoveRepository detaches the repository (not initialised), 409 while a backup runs; InitializeRepository attaches it again', async () => {
    harness = makeBackupHarness({ behaviour: { backup: { gate: 'backup' } } });
    harness.controller.start();
    await statusIs('INITIALIZED');
    const backup = (await sendAppOperation(graphqlCtx(), 'StartBackup', { serviceId: 'whole-server' })).body.data.backup.startBackup;
    const refused = (await sendAppOperation(graphqlCtx(), 'RemoveRepository')).body.data.backup.removeRepository;
    expect(refused).toMatchObject({ success: false, code: 409, configuration: { isInitialized: true } });
    harness.restic.open('backup');
    await jobEnded(backup.job.uid);

    const removed = (await sendAppOperation(graphqlCtx(), 'RemoveRepository')).body.data.backup.removeRepository;
    expect(removed).toMatchObject({ success: true, code: 200, configuration: { isInitialized: false, provider: 'NONE', encryptionKey: '' } });
    expect(harness.temp.readUserdata().backblaze).toBeUndefined();
    expect(harness.controller.status().status).toBe('NO_KEY');
    expect((await sendAppOperation(graphqlCtx(), 'AllBackupSnapshots')).body.data.backup.allSnapshots).toEqual([]);

    const REPOSITORY = { provider: 'FILE', locationId: 'x', locationName: 'local', login: 'x', password: 'x' };
    const again = (await sendAppOperation(graphqlCtx(), 'InitializeRepository', { repository: REPOSITORY })).body.data.backup.initializeRepository;
    expect(again).toMatchObject({ success: true, code: 200 });
    await statusIs('INITIALIZED');
    expect(harness.controller.snapshots()).toHaveLength(1);
  });
});
