import { describe, expect, it } from 'vitest';
import disableService from '../../../functions/services/disable-service.js';
import enableService from '../../../functions/services/enable-service.js';
import type { FunctionHandler } from '../../../kit/context.js';
import { call, jsonRequest, makeCtx, PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { makeInProcessApp } from '../../helpers/in-process-app.js';
import { fixture } from '../../helpers/temp-root.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();

const SERVICES = [
  ['bitwarden', 'Bitwarden'],
  ['gitea', 'Gitea'],
  ['nextcloud', 'Nextcloud'],
  ['ocserv', 'OCserv'],
  ['pleroma', 'Pleroma'],
] as const;

/** The function called as the router calls it at `/services/<service>/<action>`: the service in ctx.params. */
function toggle(handler: FunctionHandler, service: string, action: string) {
  return call(handler, jsonRequest('POST', `/services/${service}/${action}`), makeCtx(temp, { params: { service } }));
}

const ACTIONS = [
  ['enable', enableService, true, 'enabled'],
  ['disable', disableService, false, 'disabled'],
] as const;

describe.each(ACTIONS)('POST /services/{service}/%s', (action, handler, value, word) => {
  it.each(SERVICES)(`sets %s.enable and answers "<Name> ${word}"`, async (service, name) => {
    const before = temp.readUserdata();
    before[service].enable = !value;
    temp.writeUserdata(before);
    const { status, body } = await toggle(handler, service, action);
    expect(status).toBe(200);
    expect(body).toEqual({ status: 0, message: `${name} ${word}` });
    expect(temp.readUserdata()).toEqual({ ...before, [service]: { ...before[service], enable: value } });
  });

  it('creates the section when userdata.json has none', async () => {
    const data = fixture('userdata.json');
    delete data.gitea;
    temp.writeUserdata(data);
    const { status } = await toggle(handler, 'gitea', action);
    expect(status).toBe(200);
    expect(temp.readUserdata().gitea).toEqual({ enable: value });
  });

  it('keeps the other settings of the section', async () => {
    await toggle(handler, 'nextcloud', action);
    const nextcloud = fixture<any>('userdata.json').nextcloud;
    expect(temp.readUserdata().nextcloud).toEqual({ ...nextcloud, enable: value });
  });

  it('is served at the five services\' paths only: any other name is a path that does not exist (404), before the token check', async () => {
    const app = await makeInProcessApp(temp);
    const before = temp.userdataBytes();
    for (const service of ['mailserver', 'sshd', '..', 'bit%77arden', 'x'.repeat(10_000), '__proto__', 'toString']) {
      for (const token of [PRIMARY_TOKEN, undefined]) {
        const { status, body } = await app.request(`/services/${service}/${action}`, { method: 'POST', token });
        expect(status, service).toBe(404);
        expect(body).toEqual({ error: 'Not found' });
      }
    }
    expect(temp.userdataBytes()).toBe(before);
    const { status, body } = await app.request(`/services/gitea/${action}`, { method: 'POST', token: PRIMARY_TOKEN });
    expect(status).toBe(200);
    expect(body).toEqual({ status: 0, message: `Gitea ${word}` });
  });

  it('answers 500 and leaves the file as it was when the section is not an object', async () => {
    const data = fixture('userdata.json');
    data.pleroma = 'yes';
    temp.writeUserdata(data);
    const before = temp.userdataBytes();
    const { status, body } = await toggle(handler, 'pleroma', action);
    expect(status).toBe(500);
    expect(body.error).toContain('"pleroma" is not an object');
    expect(temp.userdataBytes()).toBe(before);
  });
});
