import path from 'node:path';
import { describe, expect, it } from 'vitest';
import startConfigurationUnit from '../../../functions/system/start-configuration-unit.js';
import { call, jsonRequest, makeCtx, PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { makeInProcessApp } from '../../helpers/in-process-app.js';
import { makeStandIns, standInRunner } from '../../helpers/stand-ins.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();

const ACTIONS = [
  ['apply', 'sp-nixos-rebuild.service'],
  ['upgrade', 'sp-nixos-upgrade.service'],
  ['rollback', 'sp-nixos-rollback.service'],
] as const;

describe.each(ACTIONS)('GET /system/configuration/%s', (action, unit) => {
  it(`runs \`systemctl start ${unit}\` once as a job and answers its exit code 0 with the job's Location`, async () => {
    const bin = makeStandIns(path.join(temp.root, 'bin'), { systemctl: { exitCode: 0 } });
    const before = temp.userdataBytes();
    const { status, body, response } = await call(startConfigurationUnit, jsonRequest('GET', `/system/configuration/${action}`), makeCtx(temp, { system: standInRunner(bin), params: { action } }));
    expect(status).toBe(200);
    expect(body).toBe(0);
    expect(bin.calls()[0]).toEqual({ command: 'systemctl', args: ['start', '--', unit] });
    expect(bin.calls().filter((c) => c.args[0] === 'start')).toHaveLength(1);
    expect(response.headers.get('location')).toMatch(/^\/jobs\/[\w-]+$/);
    expect(temp.userdataBytes()).toBe(before);
  });

  it('answers 200 with a failing exit code as a number', async () => {
    const bin = makeStandIns(path.join(temp.root, 'bin'), { systemctl: { exitCode: 5 } });
    const { status, body } = await call(startConfigurationUnit, jsonRequest('GET', `/system/configuration/${action}`), makeCtx(temp, { system: standInRunner(bin), params: { action } }));
    expect(status).toBe(200);
    expect(body).toBe(5);
  });
});

it('is served at apply, upgrade and rollback only: another name is a path that does not exist (404) and runs nothing', async () => {
  const bin = makeStandIns(path.join(temp.root, 'bin'), { systemctl: {} });
  const app = await makeInProcessApp(temp, { system: standInRunner(bin) });
  for (const action of ['reboot', 'toString', 'APPLY', 'appl%79', '..']) {
    const { status, body } = await app.request(`/system/configuration/${action}`, { token: PRIMARY_TOKEN });
    expect(status, action).toBe(404);
    expect(body).toEqual({ error: 'Not found' });
  }
  // The literal routes beside it are not shadowed.
  expect((await app.request('/system/configuration/timezone', { token: PRIMARY_TOKEN })).status).toBe(200);
  expect(bin.calls()).toEqual([]);
});
