// What the API reads back from its own files (jobs.json, the backup state) never reaches a command as an option.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { journalctlArgs } from '../../../domain/journal.js';
import { createJobRegistry, type JobRegistry } from '../../../jobs/job-registry.js';
import { RESTORE_STOPPED_UNITS } from '../../../backups/restore-units.js';
import { makeBackupHarness, type BackupHarness } from '../../helpers/backup-harness.js';
import { fakeSystemd, unitStateText } from '../../helpers/fake-systemd.js';
import { recordingLogger } from '../../helpers/recording-logger.js';
import { type TempRoot } from '../../helpers/temp-root.js';
import { eventually, waitFor } from '../../helpers/wait.js';
import { useTempRoots } from '../../helpers/setup.js';

const OPTION = '--host=attacker.example';
const REBUILD = 'sp-nixos-rebuild.service';

const makeRoot = useTempRoots();
let temp: TempRoot | undefined;
let registry: JobRegistry | undefined;
let harness: BackupHarness | undefined;
afterEach(async () => {
  await registry?.close();
  registry = undefined;
  await harness?.cleanup();
  harness = undefined;
});

function runningJob(id: string, unit: string): Record<string, unknown> {
  return { id, type: 'rebuild', unit, state: 'running', startedAt: '2030-01-01T00:00:00.000Z', endedAt: null, progress: null, error: null, log: [], runId: 'an-earlier-process' };
}

/** Every argument the fake systemd received that comes after the command's verb. */
const argumentsGiven = (systemd: ReturnType<typeof fakeSystemd>): string[] => systemd.calls.flatMap((call) => call.args);

describe('jobs.json', () => {
  it('does not load a job whose unit is an option, and says so in the log; a valid one is followed with -- before its unit', async () => {
    temp = makeRoot();
    fs.mkdirSync(path.dirname(temp.paths.jobs), { recursive: true });
    fs.writeFileSync(temp.paths.jobs, JSON.stringify({ jobs: [runningJob('evil', OPTION), runningJob('fine', REBUILD)] }));
    const systemd = fakeSystemd();
    systemd.unitState = unitStateText('inactive', 'dead', 'success');
    const logger = recordingLogger();
    registry = createJobRegistry(temp.paths, { system: systemd, log: logger.log, pollIntervalMs: 10 });
    registry.resume();

    await eventually(async () => (await registry?.get('fine'))?.state === 'succeeded');
    expect(registry.has('evil')).toBe(false);
    expect(argumentsGiven(systemd).filter((arg) => arg.includes('attacker'))).toEqual([]);
    expect(systemd.callsOf('systemctl', 'show')[0]?.args).toEqual(['show', '-p', 'ActiveState', '-p', 'SubState', '-p', 'Result', '--', REBUILD]);
    expect(logger.entries()).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'jobs file records not loaded: not valid', count: 1 }));
  });

  it('puts -- before the unit of systemctl start', async () => {
    temp = makeRoot();
    const systemd = fakeSystemd();
    registry = createJobRegistry(temp.paths, { system: systemd, log: recordingLogger().log, pollIntervalMs: 10 });
    await registry.startUnitJob('rebuild', REBUILD);
    expect(systemd.callsOf('systemctl', 'start').map((call) => call.args)).toEqual([['start', '--', REBUILD]]);
    systemd.finishStart();
  });
});

describe('journalctl', () => {
  it('is never given a unit that is not a unit name', () => {
    expect(() => journalctlArgs({ unit: OPTION, lines: 10, newestFirst: true })).toThrow(/unit name/);
    expect(journalctlArgs({ unit: REBUILD, lines: 10, newestFirst: true })).toEqual(['-o', 'json', '-u', REBUILD, '-n', '10', '--reverse']);
  });
});

describe('a backup job\'s record in jobs.json', () => {
  it('starts again only the units a restore stops, with -- before them, whatever the record says', async () => {
    harness = makeBackupHarness();
    // A restore interrupted before restic ran, whose record names an option among its stopped units.
    fs.mkdirSync(path.dirname(harness.temp.paths.jobs), { recursive: true });
    fs.writeFileSync(harness.temp.paths.jobs, JSON.stringify({
      jobs: [{
        id: 'restore-1', type: 'restore', unit: null, state: 'running', startedAt: '2024-05-01T10:00:00.000Z', endedAt: null,
        progress: null, error: null, log: [], runId: 'an-earlier-process',
        resumeData: { snapshotId: 'a'.repeat(64), stoppedUnits: [OPTION, 'postfix'], pid: -1 },
      }],
    }));
    const { controller } = harness.restart();
    controller.start();
    await waitFor(() => controller.status().status === 'ERROR', 'the interrupted restore to be settled');
    const calls = harness.systemctl.calls().map((call) => call.args);
    expect(calls).toEqual([['start', '--', 'postfix']]);
    expect(RESTORE_STOPPED_UNITS).toContain('postfix');
    // A pid that is not a real process id is not followed (kill(-1) would mean every process).
    expect(controller.status().error_message).toMatch(/interrupted by a restart of the API before restic ran/);
  });
});
