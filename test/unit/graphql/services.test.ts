// Unit tests of the GraphQL "services" area through the /graphql function unit, with the app's own operations.
import { afterEach, describe, expect, it } from 'vitest';
import type { Ctx } from '../../../kit/context.js';
import { fakeRunner, makeCtx } from '../../helpers/function-call.js';
import { IP_JSON } from '../../helpers/ip-addresses.js';
import { writeMountTable } from '../../helpers/mount-fixture.js';
import type { TempRoot } from '../../helpers/temp-root.js';
import { sendAppOperation } from './app-operation.js';
import { useTempRoots } from '../../helpers/setup.js';

const makeRoot = useTempRoots();
let temp: TempRoot;
let ctx: Ctx;

/** `systemctl is-active` of the units the test names: their words; every other unit inactive. */
function systemctlSays(states: Record<string, string>) {
  return fakeRunner((command, args) => {
    if (command === 'ip') return { stdout: IP_JSON };
    if (command !== 'systemctl' || args[0] !== 'is-active') return {};
    const units = args.slice(1).filter((arg) => arg !== '--');
    return { stdout: units.map((unit) => `${states[unit] ?? 'inactive'}\n`).join(''), exitCode: units.every((unit) => states[unit] === 'active') ? 0 : 3 };
  });
}

function setup(runner = fakeRunner()) {
  temp = makeRoot();
  ctx = makeCtx(temp, { system: runner, caller: null });
  return runner;
}

afterEach(async () => {
  await ctx.jobs.close();
});

describe('AllServices', () => {
  it('lists the six services with their switches, states, addresses and icons', async () => {
    const runner = setup(systemctlSays({ dovecot2: 'active', postfix: 'active', vaultwarden: 'active', 'phpfpm-nextcloud': 'failed', pleroma: 'activating' }));
    writeMountTable(temp.paths);
    const answer = await sendAppOperation(ctx, 'AllServices');
    expect(answer.status).toBe(200);
    const services: Array<Record<string, any>> = answer.body.data.services.allServices;
    const byId = Object.fromEntries(services.map((service) => [service.id, service]));
    expect(Object.keys(byId)).toEqual(['simple-nixos-mailserver', 'bitwarden', 'gitea', 'nextcloud', 'ocserv', 'pleroma']);

    expect(byId['simple-nixos-mailserver']).toMatchObject({ isEnabled: true, isRequired: true, status: 'ACTIVE', url: null, isMovable: false });
    expect(byId.bitwarden).toMatchObject({ isEnabled: true, status: 'ACTIVE', url: 'https://password.test.tld' });
    expect(byId.nextcloud).toMatchObject({ status: 'FAILED', url: 'https://cloud.test.tld' });
    expect(byId.pleroma.status).toBe('ACTIVATING');
    expect(byId.ocserv).toMatchObject({ status: 'INACTIVE', url: null });
    // Gitea is off in userdata: OFF, and systemd is not even asked.
    expect(byId.gitea).toMatchObject({ isEnabled: false, status: 'OFF' });
    expect(runner.calls.some((call) => call.command === 'systemctl' && call.args.includes('gitea'))).toBe(false);
    expect(runner.calls.find((call) => call.args.includes('dovecot2'))?.args).toEqual(['is-active', '--', 'dovecot2', 'postfix']);

    for (const service of services) {
      const svg = Buffer.from(service.svgIcon, 'base64').toString('utf8');
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*>.*<\/svg>$/);
      expect(service.storageUsage.volume).toEqual({ name: 'sda1' });
      expect(service.storageUsage.usedSpace).toMatch(/^\d+$/);
      expect(service.configuration).toEqual([]);
    }
    // Each drawing is its own.
    expect(new Set(services.map((service) => service.svgIcon)).size).toBe(services.length);
    expect(byId.bitwarden.dnsRecords.map((record: any) => `${record.recordType} ${record.name} ${record.content}`)).toEqual([
      'A password 203.0.113.7',
      'AAAA password 2001:db8::7',
    ]);
    expect(byId['simple-nixos-mailserver'].dnsRecords.map((record: any) => record.recordType)).toEqual(['MX', 'TXT', 'TXT']);
    expect(byId.gitea.license).toEqual([{ free: true, fullName: 'MIT License', redistributable: true, shortName: 'MIT', url: 'https://spdx.org/licenses/MIT.html' }]);
  });
});

describe('enable and disable', () => {
  it('EnableService switches the service on in userdata', async () => {
    setup();
    const answer = await sendAppOperation(ctx, 'EnableService', { serviceId: 'gitea' });
    expect(answer.body.data.services.enableService).toEqual({ success: true, code: 200, message: 'Service enabled.' });
    expect(temp.readUserdata().gitea).toEqual({ enable: true });
  });

  it('DisableService switches the service off in userdata', async () => {
    setup();
    const answer = await sendAppOperation(ctx, 'DisableService', { serviceId: 'nextcloud' });
    expect(answer.body.data.services.disableService).toEqual({ success: true, code: 200, message: 'Service disabled.' });
    expect(temp.readUserdata().nextcloud).toMatchObject({ enable: false, adminPassword: 'nc-admin-4Jt9Qe2Lw' });
  });

  it('answers 404 for an unknown service and 400 for the mail server, writing nothing', async () => {
    setup();
    const before = temp.userdataBytes();
    const unknown = await sendAppOperation(ctx, 'EnableService', { serviceId: 'jitsi-meet' });
    expect(unknown.body.data.services.enableService).toEqual({ success: false, code: 404, message: 'Service not found' });
    const mail = await sendAppOperation(ctx, 'DisableService', { serviceId: 'simple-nixos-mailserver' });
    expect(mail.body.data.services.disableService).toMatchObject({ success: false, code: 400 });
    expect(mail.body.data.services.disableService.message).toContain('always on');
    expect(temp.userdataBytes()).toBe(before);
  });
});

describe('start, stop and restart', () => {
  it('run systemctl with the service\'s units', async () => {
    const runner = setup();
    expect((await sendAppOperation(ctx, 'RestartService', { serviceId: 'bitwarden' })).body.data.services.restartService).toEqual({
      success: true,
      code: 200,
      message: 'Service restarted.',
    });
    expect((await sendAppOperation(ctx, 'StopService', { serviceId: 'simple-nixos-mailserver' })).body.data.services.stopService.success).toBe(true);
    expect((await sendAppOperation(ctx, 'StartService', { serviceId: 'pleroma' })).body.data.services.startService.message).toBe('Service started.');
    expect(runner.calls.map((call) => [call.command, ...call.args])).toEqual([
      ['systemctl', 'restart', '--', 'vaultwarden'],
      ['systemctl', 'stop', '--', 'dovecot2', 'postfix'],
      ['systemctl', 'start', '--', 'pleroma'],
    ]);
  });

  it('answer 500 when systemctl fails, and 404 for an unknown service without running anything', async () => {
    const runner = setup(fakeRunner(() => ({ exitCode: 5 })));
    const failed = (await sendAppOperation(ctx, 'StartService', { serviceId: 'gitea' })).body.data.services.startService;
    expect(failed).toEqual({ success: false, code: 500, message: 'systemctl start gitea exited with 5' });
    const unknown = (await sendAppOperation(ctx, 'StopService', { serviceId: 'nginx' })).body.data.services.stopService;
    expect(unknown.code).toBe(404);
    expect(runner.calls).toHaveLength(1);
  });
});

describe('what this server cannot do', () => {
  it('MoveService and SetServiceConfiguration answer 400, run nothing and write nothing', async () => {
    const runner = setup();
    const before = temp.userdataBytes();
    const moved = (await sendAppOperation(ctx, 'MoveService', { input: { serviceId: 'nextcloud', location: 'sdb' } })).body.data.services.moveService;
    expect(moved).toMatchObject({ success: false, code: 400, job: null });
    expect(moved.message).toMatch(/^Not supported on this server: .*volumes/);
    const configured = await sendAppOperation(ctx, 'SetServiceConfiguration', { input: { serviceId: 'gitea', configuration: { enableSso: true } } });
    expect(configured.body.data.services.setServiceConfiguration).toMatchObject({ success: false, code: 400 });
    expect(runner.calls).toEqual([]);
    expect(temp.userdataBytes()).toBe(before);
    expect(await ctx.jobs.list()).toEqual([]);
  });
});
