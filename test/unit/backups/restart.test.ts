import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { processStartTime } from '../../../backups/process-identity.js';
import type { StoredJob } from '../../../domain/jobs/job.js';
import { createCommandRunner } from '../../../runtime/system.js';
import { makeBackupHarness, TEST_RESTIC_PASSWORD, type BackupHarness } from '../../helpers/backup-harness.js';
import { waitFor } from '../../helpers/wait.js';

let harness: BackupHarness;
afterEach(() => harness.cleanup());

const work = () => harness.temp.paths.backupWorkFolder;
const STARTED_AT = '2024-05-01T10:00:00.000Z';

/** jobs.json as an earlier API process left it: one backup or restore job, running. */
function writeRunningJob(type: 'backup' | 'restore', resumeData: StoredJob['resumeData'], fields: Partial<StoredJob> = {}): void {
  const job: StoredJob = {
    id: 'job-1', type, unit: null, state: 'running', startedAt: STARTED_AT, endedAt: null,
    progress: null, error: null, log: [], runId: 'an-earlier-process', resumeData, ...fields,
  };
  fs.mkdirSync(path.dirname(harness.temp.paths.jobs), { recursive: true });
  fs.writeFileSync(harness.temp.paths.jobs, JSON.stringify({ jobs: [job] }, null, 4));
}
const storedJobs = (): StoredJob[] => JSON.parse(fs.readFileSync(harness.temp.paths.jobs, 'utf8')).jobs;

/** The pid of a process that has already ended. */
function deadPid(): number {
  const ended = spawnSync(process.execPath, ['-e', '0']);
  return ended.pid as number;
}

describe('after an API restart', () => {
  it('reports a backup whose restic died with the old process as ERROR, not BACKING_UP, and fails its job with the same reason', async () => {
    harness = makeBackupHarness();
    writeRunningJob('backup', { pid: deadPid(), pidStartTime: '1' });
    fs.mkdirSync(work(), { recursive: true });
    fs.writeFileSync(`${work()}/restic-output.jsonl`, '{"message_type":"status","percent_done":0.3}\n');
    const { controller, jobs } = harness.restart();
    controller.start();
    const status = await waitFor(() => (controller.status().status === 'ERROR' ? controller.status() : undefined), 'ERROR');
    expect(status.error_message).toBe('The backup started at 2024-05-01T10:00:00.000Z ended before restic saved a snapshot; start it again');
    expect(await jobs.get('job-1')).toMatchObject({ state: 'failed', error: status.error_message });
    expect(storedJobs()).toEqual([expect.objectContaining({ id: 'job-1', state: 'failed', error: status.error_message })]);
    expect(storedJobs()[0]).not.toHaveProperty('resumeData');
  });

  it('does not take a reused pid for the recorded restic', async () => {
    harness = makeBackupHarness();
    writeRunningJob('backup', { pid: process.pid, pidStartTime: 'another-start' });
    const { controller } = harness.restart();
    controller.start();
    await waitFor(() => controller.status().status === 'ERROR', 'ERROR');
  });

  it('follows a backup still running from the old process and settles it when restic ends', async () => {
    harness = makeBackupHarness({ behaviour: { backup: { progress: [0.1, 0.6], gate: 'backup' } } });
    // The old process: restic started with its output going to the controller's files.
    fs.mkdirSync(work(), { recursive: true });
    const started = await createCommandRunner({ ...process.env, PATH: harness.restic.pathWith() }).start('restic', ['-r', 'repo', 'backup', '--json', '--', 'var'], {
      cwd: harness.temp.root,
      env: { RESTIC_PASSWORD: TEST_RESTIC_PASSWORD },
      stdoutFile: `${work()}/restic-output.jsonl`,
      stderrFile: `${work()}/restic-errors.log`,
      timeoutMs: 60_000,
    });
    const pid = started.pid as number;
    writeRunningJob('backup', { pid, pidStartTime: processStartTime(pid) }, { progress: 0.05 });

    const { controller, jobs } = harness.restart();
    controller.start();
    expect(controller.status()).toEqual({ status: 'BACKING_UP', progress: 0.05, error_message: null });
    await waitFor(() => controller.status().progress === 0.6, 'the old restic\'s progress');
    expect((await jobs.get('job-1'))!.progress).toBe(0.6);

    harness.restic.open('backup');
    await started.exited;
    const done = await waitFor(() => (controller.status().status === 'INITIALIZED' ? controller.status() : undefined), 'INITIALIZED');
    expect(done.error_message).toBeNull();
    expect(controller.snapshots()).toHaveLength(1);
    expect(await jobs.get('job-1')).toMatchObject({ state: 'succeeded', error: null, progress: 1 });
  });

  it('starts the services a restore had stopped when the old process died before restic ran', async () => {
    harness = makeBackupHarness();
    writeRunningJob('restore', { snapshotId: 'f'.repeat(64), shortId: 'ffffffff', stoppedUnits: ['postfix', 'gitea'] });
    const { controller } = harness.restart();
    controller.start();
    const status = await waitFor(() => (controller.status().status === 'ERROR' ? controller.status() : undefined), 'ERROR');
    expect(status.error_message).toMatch(/^The restore started at 2024-05-01T10:00:00.000Z was interrupted by a restart of the API before restic ran/);
    expect(harness.systemctl.calls().map((c) => c.args)).toEqual([['start', '--', 'postfix', 'gitea']]);
  });

  it('finds nothing open when restarted right after a restore was reported finished', async () => {
    harness = makeBackupHarness({ behaviour: { snapshots: [{ id: 'a'.repeat(64), short_id: 'aaaaaaaa', time: '2024-05-01T10:00:00Z' }] } });
    harness.controller.start();
    await waitFor(() => harness.controller.status().status === 'INITIALIZED', 'INITIALIZED');
    const job = await harness.controller.startRestore('aaaaaaaa');
    // jobs.json is read at the very moment the job is reported ended.
    const onDiskWhenEnded = await new Promise<StoredJob | undefined>((resolve) => {
      harness.jobs.subscribe(job.id, (view) => {
        if (view.state !== 'running') resolve(storedJobs().find((stored) => stored.id === job.id));
      }, () => undefined);
    });
    expect(onDiskWhenEnded).toMatchObject({ state: 'succeeded', error: null });
    const { controller: next } = harness.restart();
    next.start();
    expect(next.status().status).not.toBe('RESTORING');
    await waitFor(() => next.status().status === 'INITIALIZED', 'INITIALIZED after the restart');
  });

  it('keeps the last job\'s error across a restart until a job succeeds', async () => {
    harness = makeBackupHarness();
    writeRunningJob('backup', undefined, { state: 'failed', endedAt: '2024-05-01T10:05:00.000Z', error: 'The backup failed: Fatal: disk full' });
    const { controller } = harness.restart();
    controller.start();
    await waitFor(() => controller.status().error_message === 'The backup failed: Fatal: disk full', 'the saved error');
    expect(controller.status().status).toBe('ERROR');
  });
});
