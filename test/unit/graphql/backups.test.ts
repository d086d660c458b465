// Unit tests of the GraphQL "backups" area through the /graphql function unit, on the restic controller with the stand-in restic.
import { afterEach, describe, expect, it } from 'vitest';
import type { Ctx } from '../../../kit/context.js';
import { makeBackupHarness, type BackupHarness } from '../../helpers/backup-harness.js';
import { waitFor } from '../../helpers/wait.js';
import { sendAppOperation } from './app-operation.js';

let harness: BackupHarness;
afterEach(() => harness.cleanup());

/** The harness's ctx as the /graphql unit receives it: the caller is set by the token gate. */
const graphqlCtx = (): Ctx => ({ ...harness.ctx, caller: null });
const statusIs = (state: string) => waitFor(() => harness.controller.status().status === state, `backup status ${state}`);

const SNAPSHOTS = [
  { id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9', short_id: 'a1b2c3d4', time: '2026-11-01T10:00:00.000000000Z' },
  { id: 'f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f', short_id: 'f0e1d2c3', time: '2026-11-20T10:00:00.000000000Z' },
];

describe('configuration and snapshots', () => {
  it('BackupConfiguration describes the Backblaze repository and never sends the password', async () => {
    harness = makeBackupHarness({ settings: { resticRepository: undefined } });
    const config = (await sendAppOperation(graphqlCtx(), 'BackupConfiguration')).body.data.backup.configuration;
    expect(config).toMatchObject({ provider: 'BACKBLAZE', locationName: 'selfprivacy-test-tld', locationId: null, encryptionKey: '', autobackupPeriod: null });
    expect(config.autobackupQuotas).toEqual({ last: -1, daily: -1, weekly: -1, monthly: -1, yearly: -1 });
  });

  it('BackupConfiguration says NONE and not initialised without any repository', async () => {
    harness = makeBackupHarness({ settings: { resticRepository: undefined } });
    const { backblaze: _gone, ...userdata } = harness.temp.readUserdata();
    harness.temp.writeUserdata(userdata);
    const config = (await sendAppOperation(graphqlCtx(), 'BackupConfiguration')).body.data.backup.configuration;
    expect(config).toMatchObject({ provider: 'NONE', isInitialized: false, locationName: null });
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
  it('StartBackup starts the whole-server backup and answers its job', async () => {
    harness = makeBackupHarness({ behaviour: { backup: { gate: 'backup' } } });
    harness.controller.start();
    await statusIs('INITIALIZED');
    const result = (await sendAppOperation(graphqlCtx(), 'StartBackup', { serviceId: 'nextcloud' })).body.data.backup.startBackup;
    expect(result).toMatchObject({ success: true, code: 200, message: 'Backup job queued' });
    expect(result.job).toMatchObject({ status: 'RUNNING', typeId: 'backups.all.backup' });
    expect(harness.controller.status().status).toBe('BACKING_UP');

    const again = (await sendAppOperation(graphqlCtx(), 'StartBackup', { serviceId: 'gitea' })).body.data.backup.startBackup;
    expect(again).toEqual({ success: false, code: 409, message: 'A backup is already running', job: null });

    harness.restic.open('backup');
    await waitFor(async () => (await harness.ctx.jobs.get(result.job.uid))?.state === 'succeeded', 'the backup job to end');
    expect(harness.restic.behaviour().snapshots).toHaveLength(1);
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
    expect(missing).toEqual({ success: false, code: 404, message: 'Backup not found', job: null });

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

  it('InitializeRepository saves the Backblaze account through the REST unit', async () => {
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

  it('RemoveRepository, SetAutobackupPeriod, setAutobackupQuotas and ForgetSnapshot answer not supported and run nothing', async () => {
    harness = makeBackupHarness({ behaviour: { snapshots: SNAPSHOTS } });
    harness.controller.start();
    await statusIs('INITIALIZED');
    const resticCalls = harness.restic.calls().length;
    const before = harness.temp.userdataBytes();
    const quotas = { last: 3, daily: 7, weekly: 4, monthly: 12, yearly: 1 };
    const answers = [
      (await sendAppOperation(graphqlCtx(), 'RemoveRepository')).body.data.backup.removeRepository,
      (await sendAppOperation(graphqlCtx(), 'SetAutobackupPeriod', { period: 60 })).body.data.backup.setAutobackupPeriod,
      (await sendAppOperation(graphqlCtx(), 'setAutobackupQuotas', { quotas })).body.data.backup.setAutobackupQuotas,
      (await sendAppOperation(graphqlCtx(), 'ForgetSnapshot', { snapshotId: SNAPSHOTS[0]?.id })).body.data.backup.forgetSnapshot,
    ];
    for (const answer of answers) {
      expect(answer).toMatchObject({ success: false, code: 400 });
      expect(answer.message).toMatch(/^Not supported on this server: /);
    }
    expect(answers[0].configuration.autobackupQuotas.last).toBe(-1);
    expect(harness.restic.calls()).toHaveLength(resticCalls);
    expect(harness.restic.behaviour().snapshots).toHaveLength(2);
    expect(harness.temp.userdataBytes()).toBe(before);
  });
});
