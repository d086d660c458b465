// The services and system routes through the real server: routes.json wiring, auth, stand-in commands.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { loadRoutes } from '../../runtime/load-routes.js';
import { concretePaths } from '../../runtime/route-paths.js';
import { PRIMARY_TOKEN } from '../helpers/function-call.js';
import { cloneSingleBranch, currentBranch, HERMETIC_GIT_ENV, makeOrigin } from '../helpers/git-repos.js';
import { startServerProcess } from '../helpers/server-process.js';
import { makeStandIns, type StandInBin } from '../helpers/stand-ins.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { useServerProcess } from '../helpers/setup.js';

let bin: StandInBin;
const { temp, server } = useServerProcess({
  root: { dkim: 'v=DKIM1; k=rsa; p=TEST\n' },
  prepare: (root) => {
    bin = makeStandIns(path.join(root.root, 'bin'), {
      systemctl: { exitCode: 3 },
      reboot: {},
      uname: { stdout: 'Linux test-instance 6.1.0 x86_64 GNU/Linux\n' },
      git: { stdout: 'Already up to date.\n' },
    });
    return { PATH: bin.pathValue };
  },
});

/** The function files of the services and system routes (SSH, users and backups are tested elsewhere). */
const OUR_FUNCTIONS = new Set([
  'enable-service', 'disable-service', 'status', 'dkim',
].map((name) => `functions/services/${name}.ts`).concat([
  'get-timezone', 'set-timezone', 'get-auto-upgrade', 'set-auto-upgrade', 'start-configuration-unit',
  'pull-configuration', 'reboot', 'system-version', 'runtime-version',
].map((name) => `functions/system/${name}.ts`)));
const OUR_ROUTES = (await loadRoutes()).filter((route) => OUR_FUNCTIONS.has(route.function));
/** Each route at each path the router serves it (one per value of a closed parameter such as `{service}`). */
const OUR_PATHS = OUR_ROUTES.flatMap((route) => concretePaths(route).map(({ path: served }) => ({ method: route.method, path: served, function: route.function })));

describe('services and system routes', () => {
  it('lists every services and system route of the contract', () => {
    const services = ['bitwarden', 'gitea', 'nextcloud', 'ocserv', 'pleroma'];
    expect(OUR_PATHS.map((route) => `${route.method} ${route.path}`).sort()).toEqual([
      ...services.flatMap((s) => [`POST /services/${s}/enable`, `POST /services/${s}/disable`]),
      'GET /services/status',
      'GET /services/mailserver/dkim',
      'GET /system/configuration/timezone',
      'PUT /system/configuration/timezone',
      'GET /system/configuration/autoUpgrade',
      'PUT /system/configuration/autoUpgrade',
      'GET /system/configuration/apply',
      'GET /system/configuration/upgrade',
      'GET /system/configuration/rollback',
      'GET /system/configuration/pull',
      'GET /system/reboot',
      'GET /system/version',
      'GET /system/pythonVersion',
    ].sort());
    expect(new Set(OUR_ROUTES.map((route) => route.function))).toEqual(OUR_FUNCTIONS);
  });

  it('serves the ten service switches at their literal paths only, so none can shadow /services/ssh/enable', () => {
    const switches = OUR_PATHS.filter((route) => /-service\.ts$/.test(route.function)).map((route) => `${route.method} ${route.path}`);
    expect(switches.sort()).toEqual(
      ['bitwarden', 'gitea', 'nextcloud', 'ocserv', 'pleroma'].flatMap((s) => [`POST /services/${s}/disable`, `POST /services/${s}/enable`]).sort(),
    );
    expect(OUR_PATHS.some((route) => route.path.includes('{'))).toBe(false);
  });

  it('refuses every one of them without a token, running nothing and changing nothing', async () => {
    const before = temp.userdataBytes();
    const callsBefore = bin.calls().length;
    for (const route of OUR_PATHS) {
      const response = await server.fetch(route.path, { method: route.method, json: route.method === 'GET' ? undefined : { timezone: 'UTC', enable: false } });
      expect(response.status, `${route.method} ${route.path}`).toBe(401);
    }
    expect(temp.userdataBytes()).toBe(before);
    expect(bin.calls().length).toBe(callsBefore);
  });

  it('enables and disables a service', async () => {
    let response = await server.fetch('/services/gitea/enable', { method: 'POST', token: PRIMARY_TOKEN });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 0, message: 'Gitea enabled' });
    expect(temp.readUserdata().gitea.enable).toBe(true);
    response = await server.fetch('/services/gitea/disable', { method: 'POST', token: PRIMARY_TOKEN });
    expect(await response.json()).toEqual({ status: 0, message: 'Gitea disabled' });
    expect(temp.readUserdata().gitea.enable).toBe(false);
  });

  it('answers 405 for the wrong method on a service switch', async () => {
    const response = await server.fetch('/services/gitea/enable', { method: 'GET', token: PRIMARY_TOKEN });
    expect(response.status).toBe(405);
  });

  it('reports the status of the eight units from systemctl', async () => {
    const response = await server.fetch('/services/status', { token: PRIMARY_TOKEN });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(Object.keys(body).sort()).toEqual(['bitwarden', 'gitea', 'http', 'imap', 'nextcloud', 'ocserv', 'pleroma', 'smtp']);
    expect(Object.values(body)).toEqual(Array(8).fill(3));
  });

  it('answers the DKIM record as base64', async () => {
    const response = await server.fetch('/services/mailserver/dkim', { token: PRIMARY_TOKEN });
    expect(await response.json()).toBe(Buffer.from('v=DKIM1; k=rsa; p=TEST\n').toString('base64'));
  });

  it('changes the time zone, and refuses bad bodies leaving userdata.json byte for byte unchanged', async () => {
    let response = await server.fetch('/system/configuration/timezone', { method: 'PUT', token: PRIMARY_TOKEN, json: { timezone: 'Europe/Uzhgorod' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toBe('Timezone changed');
    const before = temp.userdataBytes();
    for (const body of ['{"timezone": true}', '{"timezone":', '', `{"timezone": "${'x'.repeat(10_240)}"}`]) {
      response = await server.fetch('/system/configuration/timezone', { method: 'PUT', token: PRIMARY_TOKEN, body, headers: { 'content-type': 'application/json' } });
      expect(response.status, body.slice(0, 20)).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/json');
    }
    expect(temp.userdataBytes()).toBe(before);
    response = await server.fetch('/system/configuration/timezone', { token: PRIMARY_TOKEN });
    expect(await response.json()).toBe('Europe/Uzhgorod');
  });

  it('answers autoUpgrade changes', async () => {
    const response = await server.fetch('/system/configuration/autoUpgrade', { method: 'PUT', token: PRIMARY_TOKEN, json: { allowReboot: true } });
    expect(await response.json()).toBe('Auto-upgrade settings changed');
    expect(temp.readUserdata().autoUpgrade).toEqual({ enable: true, allowReboot: true });
  });

  it('runs the configuration units, uname, git pull and reboot with exact arguments', async () => {
    const callsBefore = bin.calls().length;
    for (const action of ['apply', 'upgrade', 'rollback']) {
      const response = await server.fetch(`/system/configuration/${action}`, { token: PRIMARY_TOKEN });
      expect(await response.json()).toBe(3);
    }
    expect(await (await server.fetch('/system/version', { token: PRIMARY_TOKEN })).json()).toEqual({ system_version: 'Linux test-instance 6.1.0 x86_64 GNU/Linux' });
    expect(await (await server.fetch('/system/configuration/pull', { token: PRIMARY_TOKEN })).json()).toEqual({ status: 0, message: 'Update completed successfully', data: 'Already up to date.\n' });
    expect(await (await server.fetch('/system/pythonVersion', { token: PRIMARY_TOKEN })).json()).toMatch(/^Node\.js \d+\./);
    const reboot = await server.fetch('/system/reboot', { token: PRIMARY_TOKEN });
    expect(await reboot.json()).toBe('System reboot has started');
    await vi.waitFor(() => expect(bin.calls().slice(callsBefore).map((c) => [c.command, ...c.args])).toEqual([
      ['systemctl', 'start', '--', 'sp-nixos-rebuild.service'],
      ['systemctl', 'start', '--', 'sp-nixos-upgrade.service'],
      ['systemctl', 'start', '--', 'sp-nixos-rollback.service'],
      ['uname', '-a'],
      ['git', 'pull'],
      ['reboot'],
    ]), { timeout: 10_000 });
  });
});

describe('start-up with a failing migration', () => {
  it('logs the failure and still serves', async () => {
    const broken = makeTempRoot();
    try {
      // etc/nixos on rolling-testing whose origin is gone: fix_nixos_config_branch fails at `git fetch`.
      const nixos = broken.paths.nixosConfig;
      const kept = path.join(broken.root, 'userdata-kept');
      fs.renameSync(path.join(nixos, 'userdata'), kept);
      fs.rmSync(nixos, { recursive: true });
      const origin = makeOrigin(path.join(broken.root, 'remote'));
      cloneSingleBranch(origin, nixos, 'rolling-testing');
      fs.renameSync(kept, path.join(nixos, 'userdata'));
      fs.rmSync(origin, { recursive: true });
      const started = await startServerProcess(broken.root, HERMETIC_GIT_ENV);
      try {
        const response = await started.fetch('/system/configuration/timezone', { token: PRIMARY_TOKEN });
        expect(response.status).toBe(200);
        const failure = started.output().split('\n').filter(Boolean).map((line) => JSON.parse(line)).find((entry) => entry.msg === 'migration failed');
        expect(failure).toMatchObject({ migration: 'fix_nixos_config_branch', errorMessage: expect.stringMatching(/^git fetch failed with exit code \d+$/) });
        expect(currentBranch(nixos)).toBe('rolling-testing');
      } finally {
        await started.stop();
      }
    } finally {
      broken.cleanup();
    }
  });
});
