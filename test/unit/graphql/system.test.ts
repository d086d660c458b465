// Unit tests of the GraphQL "system" area through the /graphql function unit, with the app's own operations.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Ctx } from '../../../kit/context.js';
import { REBOOT_DELAY_MS } from '../../../functions/system/reboot.js';
import { fakeSystemd, type FakeSystemd } from '../../helpers/fake-systemd.js';
import { fakeRunner, makeCtx } from '../../helpers/function-call.js';
import { makeTempRoot, type TempRoot } from '../../helpers/temp-root.js';
import { waitFor } from '../../helpers/wait.js';
import { IP_JSON } from '../../helpers/ip-addresses.js';
import { sendAppOperation } from './app-operation.js';
import { sendQuery } from './send-query.js';
import { useTempRoots } from '../../helpers/setup.js';

const DKIM_FILE = 'selector._domainkey\tIN\tTXT\t( "v=DKIM1; k=rsa; "\n\t  "p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC7" )  ; ----- DKIM key selector for test.tld\n';

const makeRoot = useTempRoots();
let temp: TempRoot;
let ctx: Ctx;
let closeJobs: () => Promise<void> = async () => undefined;

function setup(runner = fakeRunner(), rootOptions: Parameters<typeof makeTempRoot>[0] = {}) {
  temp = makeRoot(rootOptions);
  ctx = makeCtx(temp, { system: runner, caller: null });
  closeJobs = () => ctx.jobs.close();
  return runner;
}

afterEach(async () => {
  await closeJobs();
});

describe('settings', () => {
  it('SystemSettings answers userdata\'s auto-upgrade, SSH and time zone settings', async () => {
    setup();
    const answer = await sendAppOperation(ctx, 'SystemSettings');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      data: { system: { settings: { autoUpgrade: { allowReboot: false, enable: true }, ssh: { enable: true }, timezone: 'Europe/Moscow' } } },
    });
  });

  it('ChangeTimezone stores a valid zone and answers it', async () => {
    setup();
    const answer = await sendAppOperation(ctx, 'ChangeTimezone', { timezone: 'Europe/Berlin' });
    expect(answer.body.data.system.changeTimezone).toEqual({ success: true, code: 200, message: 'Timezone changed', timezone: 'Europe/Berlin' });
    expect(temp.readUserdata().timezone).toBe('Europe/Berlin');
  });

  it('ChangeTimezone refuses a name that is no IANA zone with 400 and writes nothing', async () => {
    setup();
    const before = temp.userdataBytes();
    const answer = await sendAppOperation(ctx, 'ChangeTimezone', { timezone: 'Mars/Olympus_Mons' });
    expect(answer.body.data.system.changeTimezone).toMatchObject({ success: false, code: 400, timezone: null });
    expect(answer.body.data.system.changeTimezone.message).toContain('IANA');
    expect(temp.userdataBytes()).toBe(before);
  });

  it('ChangeAutoUpgradeSettings changes only the settings given and answers both', async () => {
    setup();
    const answer = await sendAppOperation(ctx, 'ChangeAutoUpgradeSettings', { settings: { allowReboot: true } });
    expect(answer.body.data.system.changeAutoUpgradeSettings).toEqual({
      success: true,
      code: 200,
      message: 'Auto-upgrade settings changed',
      allowReboot: true,
      enableAutoUpgrade: true,
    });
    expect(temp.readUserdata().autoUpgrade).toEqual({ enable: true, allowReboot: true });
  });

  it('ChangeSshSettings switches sshd and leaves password logins as they were', async () => {
    setup();
    const answer = await sendAppOperation(ctx, 'ChangeSshSettings', { settings: { enable: false } });
    expect(answer.body.data.system.changeSshSettings).toEqual({ success: true, code: 200, message: 'SSH settings changed', enable: false });
    expect(temp.readUserdata().ssh).toMatchObject({ enable: false, passwordAuthentication: true });
  });
});

describe('info, providers and DNS', () => {
  it('SystemIsUsingBinds is false: service data is not bind-mounted here', async () => {
    setup();
    expect((await sendAppOperation(ctx, 'SystemIsUsingBinds')).body).toEqual({ data: { system: { info: { usingBinds: false } } } });
  });

  it('info gives uname -a and the runtime, as /system/version and /system/pythonVersion', async () => {
    const runner = setup(fakeRunner((command) => (command === 'uname' ? { stdout: 'Linux test-instance 6.1.0 x86_64 GNU/Linux\n' } : {})));
    const answer = await sendQuery(ctx, '{ system { info { systemVersion pythonVersion } } }');
    expect(answer.body.data.system.info).toEqual({ systemVersion: 'Linux test-instance 6.1.0 x86_64 GNU/Linux', pythonVersion: `Node.js ${process.versions.node}` });
    expect(runner.calls.map((call) => [call.command, call.args])).toEqual([['uname', ['-a']]]);
  });

  it('SystemServerProvider reads userdata\'s server.provider, OTHER when it names none', async () => {
    setup();
    expect((await sendAppOperation(ctx, 'SystemServerProvider')).body.data.system.provider).toEqual({ provider: 'OTHER' });
    temp.writeUserdata({ ...temp.readUserdata(), server: { provider: 'HETZNER' } });
    expect((await sendAppOperation(ctx, 'SystemServerProvider')).body.data.system.provider).toEqual({ provider: 'HETZNER' });
  });

  it('SystemServerProvider reads the firmware\'s vendor when userdata does not say', async () => {
    setup();
    const provider = async () => (await sendAppOperation(ctx, 'SystemServerProvider')).body.data.system.provider.provider;
    fs.mkdirSync(path.dirname(temp.paths.dmiVendor), { recursive: true });
    for (const [vendor, expected] of [['Hetzner\n', 'HETZNER'], ['DigitalOcean\n', 'DIGITALOCEAN'], ['QEMU\n', 'OTHER'], ['', 'OTHER']] as const) {
      fs.writeFileSync(temp.paths.dmiVendor, vendor);
      expect(await provider(), vendor).toBe(expected);
    }
    // What userdata says comes first.
    fs.writeFileSync(temp.paths.dmiVendor, 'Hetzner\n');
    temp.writeUserdata({ ...temp.readUserdata(), server: { provider: 'DIGITALOCEAN' } });
    expect(await provider()).toBe('DIGITALOCEAN');
  });

  it('SystemDnsProvider is Cloudflare on the 1.2 layout, or what dns.provider names', async () => {
    setup();
    expect((await sendAppOperation(ctx, 'SystemDnsProvider')).body.data.system.domainInfo).toEqual({ provider: 'CLOUDFLARE' });
    temp.writeUserdata({ ...temp.readUserdata(), dns: { provider: 'DESEC' } });
    expect((await sendAppOperation(ctx, 'SystemDnsProvider')).body.data.system.domainInfo).toEqual({ provider: 'DESEC' });
  });

  it('GetDnsRecords lists the records from the domain, the addresses, the enabled services and the DKIM key', async () => {
    const runner = setup(fakeRunner((command) => (command === 'ip' ? { stdout: IP_JSON } : {})), { dkim: DKIM_FILE });
    const answer = await sendAppOperation(ctx, 'GetDnsRecords');
    const info = answer.body.data.system.domainInfo;
    expect(info).toMatchObject({ domain: 'test.tld', hostname: 'test-instance', provider: 'CLOUDFLARE' });
    const records: Array<Record<string, unknown>> = info.requiredDnsRecords;
    const byKey = (type: string, name: string) => records.filter((record) => record.recordType === type && record.name === name);
    expect(byKey('A', 'test.tld')[0]).toEqual({ recordType: 'A', name: 'test.tld', displayName: 'Root domain', content: '203.0.113.7', ttl: 3600, priority: null });
    expect(byKey('AAAA', 'api')[0]?.content).toBe('2001:db8::7');
    // The fixture has Bitwarden, Nextcloud, OCserv and Pleroma on, Gitea off.
    for (const name of ['password', 'cloud', 'vpn', 'social']) expect(byKey('A', name)).toHaveLength(1);
    expect(byKey('A', 'git')).toEqual([]);
    expect(byKey('MX', 'test.tld')[0]).toMatchObject({ content: 'test.tld', priority: 10 });
    expect(byKey('TXT', 'selector._domainkey')[0]?.content).toBe('v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC7');
    expect(byKey('TXT', 'test.tld')[0]?.content).toBe('v=spf1 a mx ip4:203.0.113.7 ip6:2001:db8::7 -all');
    // The addresses are asked for once per operation.
    expect(runner.calls.filter((call) => call.command === 'ip')).toHaveLength(1);
  });
});

describe('rebuild, upgrade, rollback and garbage collection as jobs', () => {
  let systemd: FakeSystemd;

  function setupSystemd(): void {
    systemd = fakeSystemd();
    setup(systemd);
    closeJobs = async () => {
      while (systemd.pendingStarts() > 0) systemd.finishStart();
      await ctx.jobs.close();
    };
  }

  it('RunSystemRebuild answers at once with the running job of sp-nixos-rebuild', async () => {
    setupSystemd();
    const answer = await sendAppOperation(ctx, 'RunSystemRebuild');
    const result = answer.body.data.system.runSystemRebuild;
    expect(result).toMatchObject({ success: true, code: 200, message: 'Starting system rebuild' });
    expect(result.job).toMatchObject({ status: 'RUNNING', typeId: 'system.nixos.rebuild', finishedAt: null });
    // systemctl start has not returned, yet the answer came.
    expect(systemd.pendingStarts()).toBe(1);
    expect(systemd.callsOf('systemctl', 'start').map((call) => call.args)).toEqual([['start', '--', 'sp-nixos-rebuild.service']]);
    expect((await ctx.jobs.get(result.job.uid))?.state).toBe('running');
  });

  it('RunSystemUpgradeFallback starts sp-nixos-upgrade without asking for the job', async () => {
    setupSystemd();
    const answer = await sendAppOperation(ctx, 'RunSystemUpgradeFallback');
    expect(answer.body.data.system.runSystemUpgrade).toEqual({ success: true, code: 200, message: 'Starting system upgrade' });
    expect(systemd.callsOf('systemctl', 'start').map((call) => call.args)).toEqual([['start', '--', 'sp-nixos-upgrade.service']]);
  });

  it('RunSystemRollback starts sp-nixos-rollback, recorded as a job', async () => {
    setupSystemd();
    const answer = await sendAppOperation(ctx, 'RunSystemRollback');
    expect(answer.body.data.system.runSystemRollback).toEqual({ success: true, code: 200, message: 'Starting system rollback' });
    expect(systemd.callsOf('systemctl', 'start').map((call) => call.args)).toEqual([['start', '--', 'sp-nixos-rollback.service']]);
    expect((await ctx.jobs.list()).map((job) => job.type)).toEqual(['rollback']);
  });

  it('NixCollectGarbage runs nix-collect-garbage --delete-old as a job that ends with it', async () => {
    const runner = setup(fakeRunner());
    const answer = await sendAppOperation(ctx, 'NixCollectGarbage');
    const result = answer.body.data.system.nixCollectGarbage;
    expect(result).toMatchObject({ success: true, code: 200 });
    expect(runner.calls.map((call) => [call.command, call.args])).toEqual([['nix-collect-garbage', ['--delete-old']]]);
    await waitFor(async () => (await ctx.jobs.get(result.job.uid))?.state === 'succeeded', 'the job to end');
  });

  it('NixCollectGarbage\'s job fails with the reason when the collector fails', async () => {
    setup(fakeRunner(() => ({ exitCode: 1, stderr: 'error: cannot delete path\n' })));
    const result = (await sendAppOperation(ctx, 'NixCollectGarbage')).body.data.system.nixCollectGarbage;
    const job = await waitFor(async () => {
      const found = await ctx.jobs.get(result.job.uid);
      return found?.state === 'failed' ? found : undefined;
    }, 'the job to fail');
    expect(job.error).toBe('nix-collect-garbage exited with 1: error: cannot delete path');
  });
});

describe('reboot and pull', () => {
  it('RebootSystem answers first, then starts reboot detached', async () => {
    const runner = setup();
    const answer = await sendAppOperation(ctx, 'RebootSystem');
    expect(answer.body.data.system.rebootSystem).toEqual({ success: true, code: 200, message: 'System reboot has started' });
    await waitFor(() => runner.calls.length > 0, 'reboot to be started', REBOOT_DELAY_MS + 5000);
    expect(runner.calls).toEqual([{ command: 'reboot', args: [], detached: true }]);
  });

  it('PullRepositoryChanges runs git pull in etc/nixos', async () => {
    const runner = setup();
    const answer = await sendAppOperation(ctx, 'PullRepositoryChanges');
    expect(answer.body.data.system.pullRepositoryChanges).toEqual({ success: true, code: 200, message: 'Update completed successfully' });
    expect(runner.calls.map((call) => [call.command, call.args, call.options?.cwd])).toEqual([['git', ['pull'], path.join(temp.root, 'etc/nixos')]]);
  });

  it('PullRepositoryChanges answers 500 when git fails', async () => {
    setup(fakeRunner(() => ({ exitCode: 1, stderr: 'fatal: not a git repository' })));
    const answer = await sendAppOperation(ctx, 'PullRepositoryChanges');
    expect(answer.body.data.system.pullRepositoryChanges).toEqual({ success: false, code: 500, message: 'Something went wrong' });
  });
});
