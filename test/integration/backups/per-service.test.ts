// Per-service backups, restores, forgetting and detaching through the app's operations, with the real restic.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupStatusBecomes } from '../../helpers/backup-http.js';
import { backupOperation, jobEnds, noJobRunning, realRestic, realSnapshots, resticInstalled } from '../../helpers/backup-graphql.js';
import { PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { useServerProcess } from '../../helpers/setup.js';
import { makeStandIns, type StandInBin } from '../../helpers/stand-ins.js';

const PASSWORD = 'per-service repository password 7f3a';

let scratch: string | undefined;
let repository: string;
let systemctl: StandInBin;

const file = (relative: string): string => path.join(temp.root, relative);
function write(relative: string, content: string): void {
  fs.mkdirSync(path.dirname(file(relative)), { recursive: true });
  fs.writeFileSync(file(relative), content);
}

/** The audit log so far ('' before its first line). */
const auditText = (): string => (fs.existsSync(temp.paths.auditLog) ? fs.readFileSync(temp.paths.auditLog, 'utf8') : '');

const PHOTO = 'var/lib/nextcloud/data/alice/files/photo.jpg';
const GITEA_CONFIG = 'var/lib/gitea/repositories/alice/notes.git/config';

// The repository and the stand-ins live outside the server's root; removed after the server has stopped.
afterAll(() => {
  if (scratch !== undefined) fs.rmSync(scratch, { recursive: true, force: true });
});

const { temp, server } = useServerProcess({
  prepare: () => {
    if (!resticInstalled()) throw new Error('restic is not installed: apt-get install restic');
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-per-service-'));
    repository = path.join(scratch, 'repository');
    systemctl = makeStandIns(path.join(scratch, 'bin'), { systemctl: {} });
    write(PHOTO, 'the photo as it was');
    write(GITEA_CONFIG, '[core]\n\tbare = true\n');
    return { PATH: systemctl.pathValue, SELFPRIVACY_RESTIC_REPOSITORY: repository, RESTIC_PASSWORD: PASSWORD };
  },
});

beforeAll(() => backupStatusBecomes(server, PRIMARY_TOKEN, 'INITIALIZED'), 60_000);

describe('backups per service with the real restic, through the app\'s operations', () => {
  it('answers the repository password as the encryption key to the owner, and keeps it out of the log and the audit', async () => {
    const { configuration } = await backupOperation(server, 'BackupConfiguration');
    expect(configuration).toMatchObject({ provider: 'FILE', isInitialized: true, encryptionKey: PASSWORD, autobackupPeriod: null });
    const anonymous = await server.fetch('/graphql', { method: 'POST', json: { query: '{ backup { configuration { encryptionKey } } }' } });
    expect(JSON.stringify(await anonymous.json())).not.toContain(PASSWORD);
    expect(server.output()).not.toContain(PASSWORD);
    expect(auditText()).not.toContain(PASSWORD);
  });

  it('backs up two services started together into a snapshot each, listed with service and reason', async () => {
    const [nextcloud, gitea] = await Promise.all([
      backupOperation(server, 'StartBackup', { serviceId: 'nextcloud' }),
      backupOperation(server, 'StartBackup', { serviceId: 'gitea' }),
    ]);
    for (const started of [nextcloud, gitea]) expect(started.startBackup).toMatchObject({ success: true, code: 200 });
    expect(nextcloud.startBackup.job.uid).not.toBe(gitea.startBackup.job.uid);
    for (const started of [nextcloud, gitea]) expect((await jobEnds(server, started.startBackup.job.uid)).state).toBe('succeeded');

    const made = (await realSnapshots(repository, PASSWORD)).map((snapshot) => ({ tags: snapshot.tags, paths: snapshot.paths }));
    expect(made).toHaveLength(2);
    expect(made).toContainEqual({ tags: ['nextcloud', 'explicit'], paths: [file('var/lib/nextcloud')] });
    expect(made).toContainEqual({ tags: ['gitea', 'explicit'], paths: [file('var/lib/gitea')] });
    const { allSnapshots } = await backupOperation(server, 'AllBackupSnapshots');
    expect(allSnapshots.map((each: any) => [each.service.id, each.reason]).sort()).toEqual([['gitea', 'EXPLICIT'], ['nextcloud', 'EXPLICIT']]);
  }, 180_000);

  it('restores one service, a PRE_RESTORE snapshot of it first, while another service\'s files stay untouched', async () => {
    const { allSnapshots } = await backupOperation(server, 'AllBackupSnapshots');
    const nextcloudSnapshot = allSnapshots.find((each: any) => each.service.id === 'nextcloud');
    write(PHOTO, 'overwritten by mistake');
    write(GITEA_CONFIG, 'changed since the backup');
    const callsBefore = systemctl.calls().length;

    const { restoreBackup } = await backupOperation(server, 'RestoreBackup', { snapshotId: nextcloudSnapshot.id, strategy: 'DOWNLOAD_VERIFY_OVERWRITE' });
    expect(restoreBackup).toMatchObject({ success: true, code: 200 });
    expect(restoreBackup.job.typeId).toBe('services.nextcloud.restore');
    expect(await jobEnds(server, restoreBackup.job.uid)).toMatchObject({ state: 'succeeded', error: null });

    expect(fs.readFileSync(file(PHOTO), 'utf8')).toBe('the photo as it was');
    expect(fs.readFileSync(file(GITEA_CONFIG), 'utf8')).toBe('changed since the backup');
    // What was replaced is in a PRE_RESTORE snapshot of nextcloud.
    const preRestore = (await realSnapshots(repository, PASSWORD)).filter((each) => each.tags?.includes('pre_restore'));
    expect(preRestore.map((each) => each.tags)).toEqual([['nextcloud', 'pre_restore']]);
    expect(await realRestic(repository, PASSWORD, ['dump', preRestore[0]?.id as string, `/${PHOTO}`])).toBe('overwritten by mistake');
    const restic = JSON.stringify((await realSnapshots(repository, PASSWORD)));
    expect(restic).not.toContain('"gitea","pre_restore"');
    // Only nextcloud's unit was stopped, then started again.
    const stopAndStart = systemctl.calls().slice(callsBefore).filter((call) => call.args[0] !== 'is-active').map((call) => call.args);
    expect(stopAndStart).toEqual([['stop', '--', 'phpfpm-nextcloud'], ['start', '--', 'phpfpm-nextcloud']]);
    const listed = (await backupOperation(server, 'AllBackupSnapshots')).allSnapshots;
    expect(listed.filter((each: any) => each.reason === 'PRE_RESTORE').map((each: any) => each.service.id)).toEqual(['nextcloud']);
  }, 180_000);

  it('restores in place as well', async () => {
    const { allSnapshots } = await backupOperation(server, 'AllBackupSnapshots');
    const giteaSnapshot = allSnapshots.find((each: any) => each.service.id === 'gitea' && each.reason === 'EXPLICIT');
    const { restoreBackup } = await backupOperation(server, 'RestoreBackup', { snapshotId: giteaSnapshot.id, strategy: 'INPLACE' });
    expect((await jobEnds(server, restoreBackup.job.uid)).state).toBe('succeeded');
    expect(fs.readFileSync(file(GITEA_CONFIG), 'utf8')).toBe('[core]\n\tbare = true\n');
  }, 180_000);

  it('forgets a snapshot: gone from the list at once and for good; an unknown id is 404', async () => {
    const unknown = (await backupOperation(server, 'ForgetSnapshot', { snapshotId: '0123abcd' })).forgetSnapshot;
    expect(unknown).toMatchObject({ success: false, code: 404 });
    const { allSnapshots } = await backupOperation(server, 'AllBackupSnapshots');
    const victim = allSnapshots.find((each: any) => each.reason === 'PRE_RESTORE' && each.service.id === 'nextcloud');
    const forgotten = (await backupOperation(server, 'ForgetSnapshot', { snapshotId: victim.id })).forgetSnapshot;
    expect(forgotten).toMatchObject({ success: true, code: 200 });
    const ids = async (): Promise<string[]> => (await backupOperation(server, 'AllBackupSnapshots')).allSnapshots.map((each: any) => each.id);
    expect(await ids()).not.toContain(victim.id);
    await noJobRunning(server);
    expect((await realSnapshots(repository, PASSWORD)).some((each) => each.id === victim.id)).toBe(false);
    const reload = (await backupOperation(server, 'ForceSnapshotsReload')).forceSnapshotsReload;
    expect(reload.success).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await ids()).not.toContain(victim.id);
    expect(await ids()).toHaveLength(allSnapshots.length - 1);
  }, 180_000);

  it('detaches the repository and initialises it again, its snapshots still there', async () => {
    const before = (await backupOperation(server, 'AllBackupSnapshots')).allSnapshots.length;
    const { removeRepository } = await backupOperation(server, 'RemoveRepository');
    expect(removeRepository).toMatchObject({ success: true, code: 200, configuration: { isInitialized: false, provider: 'NONE' } });
    expect((await backupOperation(server, 'AllBackupSnapshots')).allSnapshots).toEqual([]);
    const refused = (await backupOperation(server, 'StartBackup', { serviceId: 'nextcloud' })).startBackup;
    expect(refused).toMatchObject({ success: false, code: 400 });
    // The data at the provider stays.
    expect((await realSnapshots(repository, PASSWORD))).toHaveLength(before);

    const repositoryInput = { provider: 'FILE', locationId: 'local', locationName: 'local', login: 'x', password: 'x' };
    const { initializeRepository } = await backupOperation(server, 'InitializeRepository', { repository: repositoryInput });
    expect(initializeRepository).toMatchObject({ success: true, code: 200 });
    await backupStatusBecomes(server, PRIMARY_TOKEN, 'INITIALIZED');
    expect((await backupOperation(server, 'BackupConfiguration')).configuration).toMatchObject({ isInitialized: true, encryptionKey: PASSWORD });
    expect((await backupOperation(server, 'AllBackupSnapshots')).allSnapshots).toHaveLength(before);
    expect(server.output()).not.toContain(PASSWORD);
    expect(auditText()).not.toContain(PASSWORD);
  }, 180_000);
});
