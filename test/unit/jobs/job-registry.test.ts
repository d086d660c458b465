import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredJob } from '../../../domain/jobs/job.js';
import { createJobRegistry, type JobRegistry } from '../../../jobs/job-registry.js';
import { silentLogger } from '../../../runtime/logger.js';
import { fakeSystemd, unitStateText, type FakeSystemd } from '../../helpers/fake-systemd.js';
import { eventually } from '../../helpers/wait.js';
import { journalOutput } from '../../helpers/journal-lines.js';
import { useTempRoot } from '../../helpers/setup.js';

const REBUILD = 'sp-nixos-rebuild.service';

const temp = useTempRoot();
let systemd: FakeSystemd;
const registries: JobRegistry[] = [];

function registry(options: { pollIntervalMs?: number; maxFollowMs?: number } = {}): JobRegistry {
  const created = createJobRegistry(temp.paths, { system: systemd, log: silentLogger, pollIntervalMs: 10, ...options });
  registries.push(created);
  return created;
}

function storedJobs(): StoredJob[] {
  return JSON.parse(fs.readFileSync(temp.paths.jobs, 'utf8')).jobs;
}

function writeStoredJobs(jobs: Array<Partial<StoredJob>>): void {
  fs.mkdirSync(path.dirname(temp.paths.jobs), { recursive: true });
  fs.writeFileSync(temp.paths.jobs, JSON.stringify({ jobs }, null, 4));
}

function storedJob(fields: Partial<StoredJob>): StoredJob {
  return {
    id: 'job-1', type: 'rebuild', unit: REBUILD, state: 'running', startedAt: '2030-01-01T00:00:00.000Z',
    endedAt: null, progress: null, error: null, log: [], runId: 'an-earlier-process', ...fields,
  };
}

beforeEach(() => {
  systemd = fakeSystemd();
});
afterEach(async () => {
  await Promise.all(registries.splice(0).map((r) => r.close()));
});

describe('jobs of a systemd unit', () => {
  it('records a running job on disk before starting the unit, then settles it from systemd', async () => {
    const jobs = registry();
    const job = await jobs.startUnitJob('rebuild', REBUILD);
    expect(job).toMatchObject({ type: 'rebuild', unit: REBUILD, state: 'running', endedAt: null, progress: null, error: null });
    expect(storedJobs()).toEqual([expect.objectContaining({ id: job.id, state: 'running' })]);
    expect(systemd.callsOf('systemctl', 'start').map((c) => c.args)).toEqual([['start', '--', REBUILD]]);
    expect(fs.statSync(temp.paths.jobs).mode & 0o777).toBe(0o600);

    systemd.unitState = unitStateText('inactive', 'dead', 'success');
    systemd.journal = journalOutput(REBUILD, 3, 1).split('\n').reverse().join('\n');
    systemd.finishStart({ exitCode: 0 });
    // Shown ended only once jobs.json says so.
    await eventually(async () => (await jobs.get(job.id))?.state === 'succeeded');
    expect(storedJobs()[0]?.state).toBe('succeeded');

    const done = await jobs.get(job.id);
    expect(Date.parse(done!.endedAt!)).toBeGreaterThanOrEqual(Date.parse(done!.startedAt));
    expect(done!.log.map((line) => line.message)).toEqual(['line 1', 'line 2', 'line 3']);
    expect(systemd.callsOf('systemctl', 'show')[0]?.args).toEqual(['show', '-p', 'ActiveState', '-p', 'SubState', '-p', 'Result', '--', REBUILD]);
    const journalArgs = systemd.callsOf('journalctl').at(-1)!.args;
    expect(journalArgs.slice(0, 6)).toEqual(['-o', 'json', '-u', REBUILD, '-n', '20']);
    expect(journalArgs).toContain('--since');
    expect(journalArgs).not.toContain('--reverse');
    expect(storedJobs()[0]).toMatchObject({ id: job.id, state: 'succeeded', log: done!.log });
  });

  it('fails the job when systemctl start fails, without asking systemd further', async () => {
    const jobs = registry();
    const job = await jobs.startUnitJob('upgrade', 'sp-nixos-upgrade.service');
    systemd.finishStart({ exitCode: 1, stderr: 'Job for sp-nixos-upgrade.service failed' });
    await eventually(async () => (await jobs.get(job.id))?.state === 'failed');
    expect((await jobs.get(job.id))!.error).toBe('systemctl start sp-nixos-upgrade.service exited with 1');
    expect(systemd.callsOf('systemctl', 'show')).toEqual([]);
  });

  it('keeps following a unit systemctl stopped waiting for, until systemd says it failed', async () => {
    const jobs = registry();
    const job = await jobs.startUnitJob('rebuild', REBUILD);
    systemd.finishStart({ exitCode: 124, timedOut: true });
    await eventually(() => systemd.callsOf('systemctl', 'show').length >= 3);
    expect((await jobs.get(job.id))!.state).toBe('running');
    systemd.unitState = unitStateText('failed', 'failed', 'exit-code');
    await eventually(async () => (await jobs.get(job.id))?.state === 'failed');
    expect((await jobs.get(job.id))!.error).toBe('the unit failed (exit-code)');
  });

  it('counts a oneshot that stays active (RemainAfterExit) as succeeded', async () => {
    const jobs = registry();
    const job = await jobs.startUnitJob('rollback', 'sp-nixos-rollback.service');
    systemd.unitState = unitStateText('active', 'exited', 'success');
    systemd.finishStart();
    await eventually(async () => (await jobs.get(job.id))?.state === 'succeeded');
  });

  it('trusts a clean systemctl start when systemd no longer describes the unit', async () => {
    const jobs = registry();
    const job = await jobs.startUnitJob('rebuild', REBUILD);
    systemd.unitState = '';
    systemd.finishStart();
    await eventually(async () => (await jobs.get(job.id))?.state === 'succeeded');
  });

  it('gives up on a unit that runs longer than it follows units', async () => {
    const jobs = registry({ maxFollowMs: 50 });
    const job = await jobs.startUnitJob('rebuild', REBUILD);
    systemd.unitState = unitStateText('activating', 'start', 'success');
    systemd.finishStart({ exitCode: 124, timedOut: true });
    await eventually(async () => (await jobs.get(job.id))?.state === 'failed');
    expect((await jobs.get(job.id))!.error).toMatch(/still running/);
  });

  it('returns the job already following a unit instead of starting it again', async () => {
    const jobs = registry();
    const first = await jobs.startUnitJob('rebuild', REBUILD);
    const second = await jobs.startUnitJob('rebuild', REBUILD);
    expect(second.id).toBe(first.id);
    expect(systemd.callsOf('systemctl', 'start')).toHaveLength(1);
  });

  it('shows a running job with the unit\'s latest journal lines', async () => {
    const jobs = registry();
    const job = await jobs.startUnitJob('rebuild', REBUILD);
    systemd.journal = journalOutput(REBUILD, 2, 1).split('\n').reverse().join('\n');
    const shown = await jobs.get(job.id);
    expect(shown!.log.map((line) => line.message)).toEqual(['line 1', 'line 2']);
  });
});

describe('runUnit (the 1.2 endpoints)', () => {
  it('answers the exit code of systemctl start with the job that records it', async () => {
    const jobs = registry();
    systemd.unitState = unitStateText('inactive', 'dead', 'success');
    const run = jobs.runUnit('rebuild', REBUILD);
    await eventually(() => systemd.pendingStarts() === 1);
    systemd.finishStart({ exitCode: 0 });
    const { exitCode, jobId, location } = await run;
    expect(exitCode).toBe(0);
    expect(location).toBe(`/jobs/${jobId}`);
    await eventually(async () => (await jobs.get(jobId))?.state === 'succeeded');
  });

  it('gives a second caller the same job and the exit code of its own systemctl start', async () => {
    const jobs = registry();
    const first = jobs.runUnit('rebuild', REBUILD);
    await eventually(() => systemd.pendingStarts() === 1);
    const second = jobs.runUnit('rebuild', REBUILD);
    await eventually(() => systemd.pendingStarts() === 2);
    systemd.unitState = unitStateText('failed', 'failed', 'exit-code');
    systemd.finishStart({ exitCode: 1 });
    systemd.finishStart({ exitCode: 1 });
    const [a, b] = await Promise.all([first, second]);
    expect(b.jobId).toBe(a.jobId);
    expect([a.exitCode, b.exitCode]).toEqual([1, 1]);
    expect(await jobs.list()).toHaveLength(1);
  });
});

describe('jobs of in-process work', () => {
  it('reports progress and ends succeeded or failed with the error', async () => {
    const jobs = registry();
    let report: (fraction: number) => void = () => undefined;
    let finish: () => void = () => undefined;
    const job = await jobs.startWork('backup', (handle) => {
      report = handle.report;
      return new Promise<void>((resolve) => (finish = resolve));
    });
    report(0.25);
    report(7);
    expect((await jobs.get(job.id))!.progress).toBe(1);
    report(0.5);
    expect((await jobs.get(job.id))!.progress).toBe(0.5);
    finish();
    await eventually(async () => (await jobs.get(job.id))?.state === 'succeeded');
    expect((await jobs.get(job.id))!.progress).toBe(1);

    const failing = await jobs.startWork('restore', async () => {
      throw new Error('restic could not reach the repository');
    });
    await eventually(async () => (await jobs.get(failing.id))?.state === 'failed');
    expect((await jobs.get(failing.id))!.error).toBe('restic could not reach the repository');
    expect(systemd.calls).toEqual([]);
  });
});

describe('the service of a job', () => {
  it('is kept in jobs.json for a later process, and never shown in the job\'s view', async () => {
    const jobs = registry();
    const ofService = await jobs.startWork('backup', async () => undefined, 'nextcloud');
    const whole = await jobs.startWork('backup', async () => undefined);
    await eventually(async () => (await jobs.list()).every((job) => job.state === 'succeeded'));
    expect(jobs.serviceOf(ofService.id)).toBe('nextcloud');
    expect(jobs.serviceOf(whole.id)).toBeUndefined();
    expect(await jobs.get(ofService.id)).not.toHaveProperty('service');
    await jobs.close();
    const next = registry();
    expect(next.serviceOf(ofService.id)).toBe('nextcloud');
  });
});

describe('jobs across a restart', () => {
  it('follows a unit job an earlier API process left running, through systemd', async () => {
    writeStoredJobs([storedJob({})]);
    systemd.unitState = unitStateText('activating', 'start', 'success');
    const jobs = registry();
    jobs.resume();
    await eventually(() => systemd.callsOf('systemctl', 'show').length >= 2);
    expect((await jobs.get('job-1'))!.state).toBe('running');
    systemd.unitState = unitStateText('inactive', 'dead', 'success');
    await eventually(() => storedJobs()[0]?.state === 'succeeded');
    expect(storedJobs()[0]).toMatchObject({ id: 'job-1', runId: jobs.runId });
    expect(systemd.callsOf('systemctl', 'start')).toEqual([]);
  });

  it('fails a job whose unit systemd no longer knows, and in-process work that died with its process', async () => {
    writeStoredJobs([
      storedJob({ id: 'unit-job' }),
      storedJob({ id: 'work-job', type: 'backup', unit: null, progress: 0.4 }),
      storedJob({ id: 'old', state: 'succeeded', endedAt: '2030-01-01T00:10:00.000Z' }),
    ]);
    systemd.unitState = '';
    const jobs = registry();
    jobs.resume();
    await eventually(async () => (await jobs.list()).every((job) => job.state !== 'running'));
    const byId = Object.fromEntries((await jobs.list()).map((job) => [job.id, job]));
    expect(byId['unit-job']).toMatchObject({ state: 'failed', error: `systemd did not report the state of ${REBUILD}` });
    expect(byId['work-job']).toMatchObject({ state: 'failed', error: 'The API stopped while the job was running', progress: 0.4 });
    expect(byId.old).toMatchObject({ state: 'succeeded', endedAt: '2030-01-01T00:10:00.000Z' });
  });

  it('hands in-process work an earlier process left running to the resumer of its type, with what that process remembered', async () => {
    const jobs = registry();
    let remembered: unknown;
    let finish: () => void = () => undefined;
    const started = await jobs.startWork('backup', async (handle) => {
      await handle.remember({ pid: 4242 });
      await handle.remember({ stoppedUnits: ['postfix'] });
      remembered = handle.resumeData;
      handle.report(0.3);
      return new Promise<void>((resolve) => (finish = resolve));
    });
    await eventually(() => storedJobs()[0]?.progress === 0.3);
    await jobs.close();
    expect(remembered).toEqual({ pid: 4242, stoppedUnits: ['postfix'] });
    expect(storedJobs()).toEqual([expect.objectContaining({ id: started.id, state: 'running', resumeData: { pid: 4242, stoppedUnits: ['postfix'] } })]);

    const next = registry();
    const handed: Array<{ id: string; resumeData: unknown; progress: number | null }> = [];
    next.resumeWorkWith('backup', async (handle) => {
      handed.push({ id: handle.job.id, resumeData: { ...handle.resumeData }, progress: handle.job.progress });
      handle.report(0.9);
    });
    next.resume();
    await eventually(async () => (await next.get(started.id))?.state === 'succeeded');
    expect(handed).toEqual([{ id: started.id, resumeData: { pid: 4242, stoppedUnits: ['postfix'] }, progress: 0.3 }]);
    expect(await next.get(started.id)).toMatchObject({ state: 'succeeded', progress: 1, error: null });
    // Ended: nothing left to resume, and the view never showed the resume data.
    expect(storedJobs()[0]).not.toHaveProperty('resumeData');
    expect(await next.get(started.id)).not.toHaveProperty('resumeData');
    finish();
  });

  it('fails resumed work with the resumer\'s reason, and refuses a resumer once jobs.json is loaded', async () => {
    writeStoredJobs([storedJob({ id: 'work-job', type: 'restore', unit: null })]);
    const jobs = registry();
    jobs.resumeWorkWith('restore', async () => {
      throw new Error('restic has ended, but the restore cannot be confirmed');
    });
    jobs.resume();
    await eventually(async () => (await jobs.get('work-job'))?.state === 'failed');
    expect((await jobs.get('work-job'))!.error).toBe('restic has ended, but the restore cannot be confirmed');
    expect(() => jobs.resumeWorkWith('backup', async () => undefined)).toThrow(/loaded before/);
  });

  it('moves an unreadable jobs file aside and starts afresh', async () => {
    fs.mkdirSync(path.dirname(temp.paths.jobs), { recursive: true });
    fs.writeFileSync(temp.paths.jobs, '{"jobs": [');
    const jobs = registry();
    expect(await jobs.list()).toEqual([]);
    const aside = fs.readdirSync(path.dirname(temp.paths.jobs)).filter((name) => name.startsWith('jobs.json.corrupt-'));
    expect(aside).toHaveLength(1);
    await jobs.startUnitJob('rebuild', REBUILD);
    expect(storedJobs()).toHaveLength(1);
  });

  it('drops malformed records and keeps unknown fields of the file', async () => {
    fs.mkdirSync(path.dirname(temp.paths.jobs), { recursive: true });
    fs.writeFileSync(temp.paths.jobs, JSON.stringify({ note: 'kept', jobs: [{ id: 5 }, storedJob({ id: 'ok', state: 'failed', endedAt: '2030-01-01T00:00:01.000Z' })] }));
    const jobs = registry();
    expect((await jobs.list()).map((job) => job.id)).toEqual(['ok']);
    await jobs.startUnitJob('rebuild', REBUILD);
    expect(JSON.parse(fs.readFileSync(temp.paths.jobs, 'utf8')).note).toBe('kept');
  });

  it('keeps the running jobs and the newest 100 finished ones', async () => {
    const finished = Array.from({ length: 105 }, (_, i) =>
      storedJob({ id: `f${i}`, state: 'succeeded', startedAt: new Date(Date.UTC(2030, 0, 1, 0, i)).toISOString(), endedAt: '2030-01-02T00:00:00.000Z' }),
    );
    writeStoredJobs([...finished, storedJob({ id: 'old-running', startedAt: new Date(Date.now() - 60_000).toISOString(), runId: 'x' })]);
    systemd.unitState = unitStateText('activating', 'start', 'success');
    const jobs = registry();
    await jobs.startUnitJob('upgrade', 'sp-nixos-upgrade.service');
    const ids = storedJobs().map((job) => job.id);
    expect(ids).toHaveLength(102);
    expect(ids).toContain('old-running');
    expect(ids).not.toContain('f4');
    expect(ids).toContain('f5');
    expect((await jobs.list()).map((job) => job.id)).toEqual(ids);
  });
});

describe('listeners', () => {
  it('get the job now and at each change, then end once it has ended', async () => {
    const jobs = registry();
    const job = await jobs.startUnitJob('rebuild', REBUILD);
    const seen: string[] = [];
    let ended = 0;
    jobs.subscribe(job.id, (view) => seen.push(view.state), () => (ended += 1));
    expect(seen).toEqual(['running']);
    systemd.unitState = unitStateText('inactive', 'dead', 'success');
    systemd.finishStart();
    await eventually(() => ended === 1);
    expect(seen).toEqual(['running', 'succeeded']);
    expect(jobs.listenerCount()).toBe(0);
  });

  it('end at once for a finished or unknown job, and when the registry closes', async () => {
    const jobs = registry();
    let ended = 0;
    jobs.subscribe('nope', () => undefined, () => (ended += 1));
    expect(ended).toBe(1);
    const job = await jobs.startUnitJob('rebuild', REBUILD);
    jobs.subscribe(job.id, () => undefined, () => (ended += 1));
    expect(jobs.listenerCount()).toBe(1);
    await jobs.close();
    expect(ended).toBe(2);
    expect(jobs.listenerCount()).toBe(0);
  });
});
