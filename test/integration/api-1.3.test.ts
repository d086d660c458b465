// The API 1.3 endpoints over HTTP: the compiled server, a temporary root, stand-in systemctl and journalctl.
import fs from 'node:fs';
import path from 'node:path';
import { verify } from '../helpers/crypt-verify.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredJob } from '../../domain/jobs/job.js';
import { PRIMARY_TOKEN } from '../helpers/function-call.js';
import { readEvents } from '../helpers/event-stream-reader.js';
import { unitStateText } from '../helpers/fake-systemd.js';
import { eventually } from '../helpers/wait.js';
import { journalCursor, journalOutput } from '../helpers/journal-lines.js';
import { writeMountTable } from '../helpers/mount-fixture.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { makeStandIns, type StandInBin } from '../helpers/stand-ins.js';
import { makeTempRoot, type TempRoot } from '../helpers/temp-root.js';

const REBUILD = 'sp-nixos-rebuild.service';

let temp: TempRoot;
let bin: StandInBin;
let server: ServerProcess;

function standIns(unitState: string): StandInBin {
  return makeStandIns(path.join(temp.root, 'stand-ins'), {
    systemctl: { stdout: unitState },
    journalctl: { stdout: journalOutput(REBUILD, 25, 1) },
  });
}

/** Changes what the stand-ins answer while the server runs: new scripts renamed over the old ones, never half-written. */
function changeStandIns(unitState: string): void {
  const live = path.join(temp.root, 'stand-ins');
  const next = makeStandIns(path.join(temp.root, 'stand-ins-next'), {
    systemctl: { stdout: unitState },
    journalctl: { stdout: journalOutput(REBUILD, 25, 1) },
  });
  for (const name of ['systemctl', 'journalctl']) fs.renameSync(path.join(next.folder, name), path.join(live, name));
}

function seedJob(fields: Partial<StoredJob>): StoredJob {
  return {
    id: 'job-from-before', type: 'rebuild', unit: REBUILD, state: 'running', startedAt: new Date().toISOString(),
    endedAt: null, progress: null, error: null, log: [], runId: 'the-process-before-the-restart', ...fields,
  };
}

beforeAll(async () => {
  temp = makeTempRoot();
  writeMountTable(temp.paths);
  fs.mkdirSync(path.join(temp.root, 'var/lib/gitea'), { recursive: true });
  fs.writeFileSync(path.join(temp.root, 'var/lib/gitea/repo.pack'), Buffer.alloc(100_000, 1));
  // Jobs a previous API process left: one whose unit systemd will call done, one still running.
  fs.mkdirSync(path.dirname(temp.paths.jobs), { recursive: true });
  fs.writeFileSync(temp.paths.jobs, JSON.stringify({ jobs: [seedJob({})] }, null, 4));
  bin = standIns(unitStateText('inactive', 'dead', 'success'));
  server = await startServerProcess(temp.root, { PATH: bin.pathValue });
});

afterAll(async () => {
  await server?.stop();
  temp?.cleanup();
});

const get = (pathname: string) => server.fetch(pathname, { token: PRIMARY_TOKEN });

describe('API 1.3 over HTTP', () => {
  it('reports version 1.3.0', async () => {
    expect(await (await server.fetch('/api/version')).json()).toEqual({ version: '1.3.0' });
  });

  it('PUT /users/{username} changes a password and refuses a 10 KB one', async () => {
    const changed = await server.fetch('/users/user1', { method: 'PUT', token: PRIMARY_TOKEN, json: { password: 'new password' } });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toEqual({ result: 0, username: 'user1' });
    expect(verify('new password', temp.readUserdata().users[0].hashedPassword)).toBe(true);

    const before = temp.userdataBytes();
    const huge = await server.fetch('/users/user1', { method: 'PUT', token: PRIMARY_TOKEN, json: { password: 'x'.repeat(10 * 1024) } });
    expect(huge.status).toBe(400);
    const unknown = await server.fetch('/users/ghost', { method: 'PUT', token: PRIMARY_TOKEN, json: { password: 'pw' } });
    expect(unknown.status).toBe(404);
    const anonymous = await server.fetch('/users/user1', { method: 'PUT', json: { password: 'pw' } });
    expect(anonymous.status).toBe(401);
    expect(temp.userdataBytes()).toBe(before);
    expect(server.output()).not.toContain('new password');
  });

  it('GET /system/logs runs journalctl with an argument array and pages by cursor', async () => {
    const response = await get(`/system/logs?unit=sp-nixos-rebuild&lines=25&cursor=${encodeURIComponent(journalCursor(40))}`);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.entries).toHaveLength(25);
    expect(body.entries[0]).toMatchObject({ message: 'line 25', unit: REBUILD });
    expect(body.nextCursor).toBe(journalCursor(1));
    expect(bin.calls()).toContainEqual({
      command: 'journalctl',
      args: ['-o', 'json', '-u', REBUILD, '-n', '25', '--reverse', '--after-cursor', journalCursor(40)],
    });
  });

  it('GET /system/logs refuses unknown units, bad lines and bad cursors with 400 and runs nothing', async () => {
    const callsBefore = bin.calls().length;
    for (const query of ['unit=sshd', 'unit=nginx&lines=-5', 'unit=nginx&lines=100000', 'unit=nginx&cursor=%3Brm%20-rf', 'lines=5']) {
      const response = await get(`/system/logs?${query}`);
      expect(response.status, query).toBe(400);
      expect((await response.json()).error).toEqual(expect.any(String));
    }
    // Jobs of earlier tests may still poll systemd; none of the refused requests may reach journalctl.
    const refused = bin.calls().slice(callsBefore).filter((c) => c.command === 'journalctl' && c.args.some((arg) => /sshd|^-5$|^100000$|rm -rf/.test(arg)));
    expect(refused).toEqual([]);
  });

  it('GET /system/storage reports the fixture mount table and, soon after, the service sizes', async () => {
    const first = await (await get('/system/storage')).json();
    expect(first.filesystems.map((f: { mountPoint: string }) => f.mountPoint)).toEqual(['/', '/boot', '/volumes/sdb', '/mnt/with space']);
    for (const filesystem of first.filesystems) {
      expect(filesystem.totalBytes).toBeGreaterThan(0);
      expect(typeof filesystem.low).toBe('boolean');
    }
    let report = first;
    await eventually(async () => {
      report = await (await get('/system/storage')).json();
      return report.computing === false && report.sizesMeasuredAt !== null;
    }, 20_000);
    const gitea = report.services.find((s: { service: string }) => s.service === 'gitea');
    expect(gitea.bytes).toBeGreaterThanOrEqual(100_000);
  });

  it('settles a job left running by the previous API process through systemd, with its log lines', async () => {
    let job: Record<string, any> = {};
    await eventually(async () => {
      job = await (await get('/jobs/job-from-before')).json();
      return job.state !== 'running';
    }, 20_000);
    expect(job).toMatchObject({ id: 'job-from-before', state: 'succeeded', error: null });
    expect(job.log.length).toBeGreaterThan(0);
    expect(bin.calls()).toContainEqual({ command: 'systemctl', args: ['show', '-p', 'ActiveState', '-p', 'SubState', '-p', 'Result', '--', REBUILD] });
    expect(bin.calls().some((call) => call.command === 'systemctl' && call.args[0] === 'start')).toBe(false);
    const stored = JSON.parse(fs.readFileSync(temp.paths.jobs, 'utf8')).jobs[0];
    expect(stored.state).toBe('succeeded');
    const list = await (await get('/jobs')).json();
    expect(list.map((j: { id: string }) => j.id)).toEqual(['job-from-before']);
  });

  it('answers 404 for an unknown job and its events', async () => {
    expect((await get('/jobs/00000000-0000-0000-0000-000000000000')).status).toBe(404);
    expect((await get('/jobs/nope/events')).status).toBe(404);
  });

  it('streams an ended job\'s state once and closes the stream', async () => {
    const response = await get('/jobs/job-from-before/events');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events = await readEvents(response.body!).rest();
    expect(events.map((event) => JSON.parse(event.data).state)).toEqual(['succeeded']);
  });

  it('replays the first answer to a retried DELETE with the same Idempotency-Key', async () => {
    const send = () =>
      server.fetch('/auth/tokens', { method: 'DELETE', token: PRIMARY_TOKEN, json: { token_name: 'Pixel_6' }, headers: { 'Idempotency-Key': 'phone-retry-1' } });
    const first = await send();
    const retry = await send();
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const reused = await server.fetch('/auth/tokens', { method: 'DELETE', token: PRIMARY_TOKEN, json: { token_name: 'other' }, headers: { 'Idempotency-Key': 'phone-retry-1' } });
    expect(reused.status).toBe(422);
  });
});

describe('job events across a restart over HTTP', () => {
  it('streams a running job until systemd reports its end, and the records survive a restart', async () => {
    await server.stop();
    fs.writeFileSync(temp.paths.jobs, JSON.stringify({ jobs: [seedJob({ id: 'long-rebuild' })] }, null, 4));
    bin = standIns(unitStateText('activating', 'start', 'success'));
    server = await startServerProcess(temp.root, { PATH: bin.pathValue });

    const response = await get('/jobs/long-rebuild/events');
    const events = readEvents(response.body!);
    expect(JSON.parse((await events.next())!.data)).toMatchObject({ id: 'long-rebuild', state: 'running' });
    // systemd finishes the rebuild: the stand-in now says so.
    changeStandIns(unitStateText('failed', 'failed', 'exit-code'));
    const last = await events.next();
    expect(JSON.parse(last!.data)).toMatchObject({ state: 'failed', error: 'the unit failed (exit-code)' });
    expect(await events.next()).toBeNull();

    // Another restart: the finished record is read back as it was.
    await server.stop();
    server = await startServerProcess(temp.root, { PATH: bin.pathValue });
    expect(await (await get('/jobs/long-rebuild')).json()).toMatchObject({ state: 'failed', error: 'the unit failed (exit-code)' });
  });

  it('shuts down promptly with a job event stream open', async () => {
    fs.writeFileSync(temp.paths.jobs, JSON.stringify({ jobs: [seedJob({ id: 'open-stream' })] }, null, 4));
    await server.stop();
    bin = standIns(unitStateText('activating', 'start', 'success'));
    server = await startServerProcess(temp.root, { PATH: bin.pathValue });
    const response = await get('/jobs/open-stream/events');
    const events = readEvents(response.body!);
    await events.next();
    const code = await server.stop('SIGTERM');
    expect(code).toBe(0);
    expect(await events.next()).toBeNull();
    // Still running for systemd: the record stays running for the next process to follow.
    const stored = JSON.parse(fs.readFileSync(temp.paths.jobs, 'utf8')).jobs as StoredJob[];
    expect(stored.find((job) => job.id === 'open-stream')?.state).toBe('running');
  });
});
