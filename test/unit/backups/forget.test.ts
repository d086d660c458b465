// DELETE /services/restic/backup/{snapshotId}: forgetting a snapshot as a job.
import { afterEach, describe, expect, it } from 'vitest';
import deleteSnapshot from '../../../functions/backups/forget-snapshot.js';
import listBackups from '../../../functions/backups/list-backups.js';
import { call, jsonRequest } from '../../helpers/function-call.js';
import { makeBackupHarness, type BackupHarness } from '../../helpers/backup-harness.js';
import { waitFor } from '../../helpers/wait.js';

let harness: BackupHarness;
afterEach(() => harness.cleanup());

const SNAPSHOTS = [
  { id: 'b'.repeat(64), short_id: 'bbbbbbbb', time: '2026-11-01T10:00:00Z', tags: ['gitea', 'explicit'] },
  { id: 'c'.repeat(64), short_id: 'cccccccc', time: '2026-11-02T10:00:00Z', tags: ['gitea', 'auto'] },
];

const forget = (snapshotId: string) =>
  call(deleteSnapshot, jsonRequest('DELETE', `/services/restic/backup/${snapshotId}`), { ...harness.ctx, params: { snapshotId } });
const listed = async (): Promise<string[]> => (await call(listBackups, jsonRequest('GET', '/services/restic/backup/list'), harness.ctx)).body.map((each: any) => each.short_id);

describe('DELETE /services/restic/backup/{snapshotId}', () => {
  it('takes the snapshot off the list at once and forgets it in a job named by Location', async () => {
    harness = makeBackupHarness({ behaviour: { snapshots: SNAPSHOTS, forget: { gate: 'forget' } } });
    harness.controller.start();
    await waitFor(() => harness.controller.status().status === 'INITIALIZED', 'INITIALIZED');
    const answer = await forget('bbbbbbbb');
    expect(answer.status).toBe(200);
    expect(await listed()).toEqual(['cccccccc']);
    const jobId = answer.response.headers.get('location')?.replace('/jobs/', '') as string;
    expect((await harness.jobs.get(jobId))?.type).toBe('forget');
    harness.restic.open('forget');
    await waitFor(async () => (await harness.jobs.get(jobId))?.state === 'succeeded', 'the forget job');
    expect(harness.restic.behaviour().snapshots.map((each) => each.short_id)).toEqual(['cccccccc']);
    expect(await listed()).toEqual(['cccccccc']);
  });

  it('shows the snapshot again, and fails the job with restic\'s reason, when restic cannot forget it', async () => {
    harness = makeBackupHarness({ behaviour: { snapshots: SNAPSHOTS, forget: { failWith: 'Fatal: unable to create lock in backend: repository is already locked' } } });
    harness.controller.start();
    await waitFor(() => harness.controller.status().status === 'INITIALIZED', 'INITIALIZED');
    const answer = await forget('cccccccc');
    const jobId = answer.response.headers.get('location')?.replace('/jobs/', '') as string;
    await waitFor(async () => (await harness.jobs.get(jobId))?.state === 'failed', 'the forget job to fail');
    expect((await harness.jobs.get(jobId))?.error).toMatch(/^The snapshot could not be forgotten: Fatal: unable to create lock/);
    await waitFor(async () => (await listed()).length === 2, 'the snapshot listed again');
  });

  it('answers 404 for an unknown id and 400 for something that is no id', async () => {
    harness = makeBackupHarness({ behaviour: { snapshots: SNAPSHOTS } });
    harness.controller.start();
    await waitFor(() => harness.controller.status().status === 'INITIALIZED', 'INITIALIZED');
    expect((await forget('dddddddd')).status).toBe(404);
    expect((await forget('--prune')).status).toBe(400);
    expect(harness.restic.calls().some((each) => each.args.includes('forget'))).toBe(false);
  });
});
