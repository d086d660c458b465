import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { processStartTime } from '../../../backups/process-identity.js';
import { createLogger } from '../../../runtime/logger.js';
import { createCommandRunner } from '../../../runtime/system.js';
import { makeBackupHarness, TEST_RESTIC_PASSWORD, type BackupHarness } from '../../helpers/backup-harness.js';
import { waitFor } from '../../helpers/wait.js';

let harness: BackupHarness;
afterEach(() => harness.cleanup());

const work = () => harness.temp.paths.backupWorkFolder;
function writeState(state: unknown): void {
  fs.mkdirSync(work(), { recursive: true });
  fs.writeFileSync(`${work()}/state.json`, JSON.stringify(state));
}
const readState = () => JSON.parse(fs.readFileSync(`${work()}/state.json`, 'utf8'));

/** The pid of a process that has already ended. */
function deadPid(): number {
  const ended = spawnSync(process.execPath, ['-e', '0']);
  return ended.pid as number;
}

describe('after an API restart', () => {
  it('reports a backup whose restic died with the old process as ERROR, not BACKING_UP', async () => {
    harness = makeBackupHarness();
    writeState({ job: { kind: 'backup', startedAt: '2024-05-01T10:00:00.000Z', pid: deadPid(), pidStartTime: '1' }, jobError: null });
    fs.writeFileSync(`${work()}/restic-output.jsonl`, '{"message_type":"status","percent_done":0.3}\n');
    const controller = harness.restartController();
    controller.start();
    const status = await waitFor(() => (controller.status().status === 'ERROR' ? controller.status() : undefined), 'ERROR');
    expect(status.error_message).toBe('The backup started at 2024-05-01T10:00:00.000Z ended before restic saved a snapshot; start it again');
    await waitFor(() => readState().job === null, 'the state file to be settled');
    expect(readState()).toEqual({ job: null, jobError: status.error_message });
  });

  it('does not take a reused pid for the recorded restic', async () => {
    harness = makeBackupHarness();
    writeState({ job: { kind: 'backup', startedAt: '2024-05-01T10:00:00.000Z', pid: process.pid, pidStartTime: 'another-start' }, jobError: null });
    const controller = harness.restartController();
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
    writeState({ job: { kind: 'backup', startedAt: '2024-05-01T10:00:00.000Z', pid, pidStartTime: processStartTime(pid) }, jobError: null });

    const controller = harness.restartController();
    controller.start();
    expect(controller.status().status).toBe('BACKING_UP');
    await waitFor(() => controller.status().progress === 0.6, 'the old restic\'s progress');

    harness.restic.open('backup');
    await started.exited;
    const done = await waitFor(() => (controller.status().status === 'INITIALIZED' ? controller.status() : undefined), 'INITIALIZED');
    expect(done.error_message).toBeNull();
    expect(controller.snapshots()).toHaveLength(1);
  });

  it('starts the services a restore had stopped when the old process died before restic ran', async () => {
    harness = makeBackupHarness();
    writeState({
      job: { kind: 'restore', startedAt: '2024-05-01T10:00:00.000Z', snapshotId: 'f'.repeat(64), shortId: 'ffffffff', stoppedUnits: ['postfix', 'gitea'] },
      jobError: null,
    });
    const controller = harness.restartController();
    controller.start();
    const status = await waitFor(() => (controller.status().status === 'ERROR' ? controller.status() : undefined), 'ERROR');
    expect(status.error_message).toMatch(/^The restore started at 2024-05-01T10:00:00.000Z was interrupted by a restart of the API before restic ran/);
    expect(harness.systemctl.calls().map((c) => c.args)).toEqual([['start', '--', 'postfix', 'gitea']]);
  });

  it('finds nothing open when restarted right after a restore was reported finished', async () => {
    // The controller logs "restore finished" right after its status changes: the file is read at that very moment.
    let stateWhenFinished: unknown;
    const log = createLogger('info', (line) => {
      if (line.includes('"msg":"restore finished"')) stateWhenFinished = readState();
    });
    harness = makeBackupHarness({ log, behaviour: { snapshots: [{ id: 'a'.repeat(64), short_id: 'aaaaaaaa', time: '2024-05-01T10:00:00Z' }] } });
    harness.controller.start();
    await waitFor(() => harness.controller.status().status === 'INITIALIZED', 'INITIALIZED');
    void harness.controller.startRestore('aaaaaaaa');
    await waitFor(() => stateWhenFinished, 'the restore to end');
    expect(stateWhenFinished).toEqual({ job: null, jobError: null });
    const next = harness.restartController();
    next.start();
    expect(next.status().status).not.toBe('RESTORING');
    await waitFor(() => next.status().status === 'INITIALIZED', 'INITIALIZED after the restart');
  });

  it('keeps the last job\'s error across a restart until a job succeeds', async () => {
    harness = makeBackupHarness();
    writeState({ job: null, jobError: 'The backup failed: Fatal: disk full' });
    const controller = harness.restartController();
    controller.start();
    await waitFor(() => controller.status().error_message === 'The backup failed: Fatal: disk full', 'the saved error');
    expect(controller.status().status).toBe('ERROR');
  });
});
