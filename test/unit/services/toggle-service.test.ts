import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import disableService from '../../../functions/services/disable-service.js';
import enableService from '../../../functions/services/enable-service.js';
import { call, jsonRequest, makeCtx } from '../../helpers/function-call.js';
import { fixture, makeTempRoot, type TempRoot } from '../../helpers/temp-root.js';

let temp: TempRoot;
beforeEach(() => (temp = makeTempRoot()));
afterEach(() => temp.cleanup());

const SERVICES = [
  ['bitwarden', 'Bitwarden'],
  ['gitea', 'Gitea'],
  ['nextcloud', 'Nextcloud'],
  ['ocserv', 'OCserv'],
  ['pleroma', 'Pleroma'],
] as const;

const ACTIONS = [
  ['enable', enableService, true, 'enabled'],
  ['disable', disableService, false, 'disabled'],
] as const;

describe.each(ACTIONS)('POST /services/{service}/%s', (action, handler, value, word) => {
  it.each(SERVICES)(`sets %s.enable and answers "<Name> ${word}"`, async (service, name) => {
    const before = temp.readUserdata();
    before[service].enable = !value;
    temp.writeUserdata(before);
    const { status, body } = await call(handler, jsonRequest('POST', `/services/${service}/${action}`), makeCtx(temp));
    expect(status).toBe(200);
    expect(body).toEqual({ status: 0, message: `${name} ${word}` });
    expect(temp.readUserdata()).toEqual({ ...before, [service]: { ...before[service], enable: value } });
  });

  it('creates the section when userdata.json has none', async () => {
    const data = fixture('userdata.json');
    delete data.gitea;
    temp.writeUserdata(data);
    const { status } = await call(handler, jsonRequest('POST', `/services/gitea/${action}`), makeCtx(temp));
    expect(status).toBe(200);
    expect(temp.readUserdata().gitea).toEqual({ enable: value });
  });

  it('keeps the other settings of the section', async () => {
    await call(handler, jsonRequest('POST', `/services/nextcloud/${action}`), makeCtx(temp));
    const nextcloud = fixture<any>('userdata.json').nextcloud;
    expect(temp.readUserdata().nextcloud).toEqual({ ...nextcloud, enable: value });
  });

  it('answers 404 and changes nothing for a service it cannot switch', async () => {
    const before = temp.userdataBytes();
    for (const service of ['mailserver', 'ssh', '..', 'x'.repeat(10_000), '__proto__', 'toString']) {
      const { status, body } = await call(handler, jsonRequest('POST', `/services/${service}/${action}`), makeCtx(temp));
      expect(status).toBe(404);
      expect(body).toEqual({ error: 'Unknown service' });
    }
    expect(temp.userdataBytes()).toBe(before);
  });

  it('answers 500 and leaves the file as it was when the section is not an object', async () => {
    const data = fixture('userdata.json');
    data.pleroma = 'yes';
    temp.writeUserdata(data);
    const before = temp.userdataBytes();
    const { status, body } = await call(handler, jsonRequest('POST', `/services/pleroma/${action}`), makeCtx(temp));
    expect(status).toBe(500);
    expect(body.error).toContain('"pleroma" is not an object');
    expect(temp.userdataBytes()).toBe(before);
  });
});
