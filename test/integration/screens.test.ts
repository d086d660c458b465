// The app's screens against the real server: groups and display names, a service's logs, the provider, volumes, the layout check.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appOperation } from '../unit/graphql/app-operation.js';
import { PRIMARY_TOKEN } from '../helpers/function-call.js';
import { journalLine } from '../helpers/journal-lines.js';
import { LSBLK_JSON } from '../helpers/lsblk-output.js';
import { writeMountTable } from '../helpers/mount-fixture.js';
import { startServerProcess } from '../helpers/server-process.js';
import { useServerProcess, useTempRoots } from '../helpers/setup.js';
import { makeStandIns, type StandInBin } from '../helpers/stand-ins.js';
import { waitFor } from '../helpers/wait.js';

let bin: StandInBin;
const { temp, server } = useServerProcess({
  prepare: (root) => {
    writeMountTable(root.paths);
    fs.mkdirSync(path.dirname(root.paths.dmiVendor), { recursive: true });
    fs.writeFileSync(root.paths.dmiVendor, 'Hetzner\n');
    bin = makeStandIns(path.join(root.root, 'bin'), {
      systemctl: { stdout: 'ActiveState=active\nSubState=running\nResult=success\n' },
      journalctl: { stdout: `${journalLine(2, 'postfix.service')}\n${journalLine(1, 'dovecot2.service')}\n` },
      lsblk: { stdout: LSBLK_JSON },
      resize2fs: { stdout: 'The filesystem on /dev/sdb is now 2621440 (4k) blocks long.\n' },
    });
    return { PATH: bin.pathValue };
  },
});

async function app(name: string, variables?: Record<string, unknown>): Promise<any> {
  const response = await server.fetch('/graphql', { method: 'POST', token: PRIMARY_TOKEN, json: { query: appOperation(name), operationName: name, variables } });
  expect(response.status).toBe(200);
  const body = await response.json();
  expect(body.errors).toBeUndefined();
  return body.data;
}

describe('users: groups and display names', () => {
  it('AllGroups lists the admins; a display name sent with CreateUser and UpdateUser is kept and answered', async () => {
    expect((await app('AllGroups')).groups.allGroups).toEqual([{ name: 'sp.admins' }]);
    const created = (await app('CreateUser', { user: { username: 'nina', displayName: 'Nina N.', directmemberof: [] } })).users.createUser;
    expect(created).toMatchObject({ success: true, code: 201, user: { username: 'nina', displayName: 'Nina N.', directmemberof: [], email: 'nina@test.tld' } });
    await app('UpdateUser', { user: { username: 'nina', displayName: 'Nina Nowak', directmemberof: [] } });
    expect((await app('GetUser', { username: 'nina' })).users.getUser.displayName).toBe('Nina Nowak');
    expect((await app('GetUser', { username: 'tester' })).users.getUser.directmemberof).toEqual(['sp.admins']);
    expect(JSON.parse(fs.readFileSync(temp.paths.userProfiles, 'utf8')).users.nina).toEqual({ displayName: 'Nina Nowak' });
  });
});

describe('a service\'s Logs screen', () => {
  it('reads the mail server\'s units for its slice, and marks each entry with it', async () => {
    const page = (await app('Logs', { limit: 20, filterBySlice: 'simple_nixos_mailserver.slice' })).logs.paginated;
    expect(page.entries.map((entry: any) => [entry.systemdUnit, entry.systemdSlice])).toEqual([
      ['dovecot2.service', 'simple_nixos_mailserver.slice'],
      ['postfix.service', 'simple_nixos_mailserver.slice'],
    ]);
    expect(bin.calls().filter((call) => call.command === 'journalctl').at(-1)?.args).toEqual(['-o', 'json', '-u', 'dovecot2.service', '-u', 'postfix.service', '-n', '20', '--reverse']);
    const calls = bin.calls().length;
    expect((await app('Logs', { limit: 20, filterBySlice: 'nothing_here.slice' })).logs.paginated.entries).toEqual([]);
    expect(bin.calls()).toHaveLength(calls);
  });
});

describe('provider and volumes', () => {
  it('SystemServerProvider answers HETZNER from the firmware\'s vendor', async () => {
    expect((await app('SystemServerProvider')).system.provider).toEqual({ provider: 'HETZNER' });
  });

  it('GetServerDiskVolumes answers model and serial; ResizeVolume grows the volume as a job, and refuses the root', async () => {
    const volumes = (await app('GetServerDiskVolumes')).storage.volumes;
    expect(volumes.find((volume: any) => volume.name === 'sdb')).toMatchObject({ model: 'Volume', serial: '100123456' });
    expect((await app('ResizeVolume', { name: 'sdb' })).storage.resizeVolume).toMatchObject({ success: true, code: 200 });
    await waitFor(() => bin.calls().some((call) => call.command === 'resize2fs'), 'resize2fs to run');
    expect(bin.calls().filter((call) => call.command === 'resize2fs').map((call) => call.args)).toEqual([['/dev/sdb']]);
    const jobs = (await app('GetApiJobs')).jobs.getJobs;
    expect(jobs.filter((job: any) => job.typeId === 'storage.volume.resize').map((job: any) => job.name)).toEqual(['Resize volume']);
    expect((await app('ResizeVolume', { name: 'sda1' })).storage.resizeVolume).toMatchObject({ success: false, code: 400 });
  });
});

describe('the layout check at start', () => {
  const makeRoot = useTempRoots();

  it('refuses to start on a userdata.json with services under modules.<id>, in one line naming the layout and the docs', async () => {
    const other = makeRoot();
    other.writeUserdata({ ...other.readUserdata(), modules: { gitea: { enable: true } } });
    const output = await startServerProcess(other.root).then(
      async (started) => `started at ${started.url}: ${String(await started.stop())}`,
      (error: Error) => error.message,
    );
    expect(output).toMatch(/^server exited with 1/);
    const failures = output.split('\n').filter((line) => line.includes('startup failed'));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain('modules.<id>');
    expect(failures[0]).toContain('docs/deploy.md');
  });
});
