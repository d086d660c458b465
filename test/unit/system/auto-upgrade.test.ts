import { describe, expect, it } from 'vitest';
import getAutoUpgrade from '../../../functions/system/get-auto-upgrade.js';
import setAutoUpgrade from '../../../functions/system/set-auto-upgrade.js';
import { call, jsonRequest, makeCtx } from '../../helpers/function-call.js';
import { fixture } from '../../helpers/temp-root.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();

const get = () => call(getAutoUpgrade, jsonRequest('GET', '/system/configuration/autoUpgrade'), makeCtx(temp));
const put = (options: Parameters<typeof jsonRequest>[2]) =>
  call(setAutoUpgrade, jsonRequest('PUT', '/system/configuration/autoUpgrade', options), makeCtx(temp));

function withAutoUpgrade(section: unknown): void {
  const data = fixture('userdata.json');
  if (section === undefined) delete data.autoUpgrade;
  else data.autoUpgrade = section;
  temp.writeUserdata(data);
}

describe('GET /system/configuration/autoUpgrade', () => {
  it('answers the stored settings', async () => {
    withAutoUpgrade({ enable: false, allowReboot: true });
    expect(await get()).toMatchObject({ status: 200, body: { enable: false, allowReboot: true } });
  });

  it('answers enable true and allowReboot false when the section is missing', async () => {
    withAutoUpgrade(undefined);
    expect(await get()).toMatchObject({ status: 200, body: { enable: true, allowReboot: false } });
  });

  it('fills in the default of a missing or non-boolean setting', async () => {
    withAutoUpgrade({ enable: 'no' });
    expect(await get()).toMatchObject({ status: 200, body: { enable: true, allowReboot: false } });
  });
});

describe('PUT /system/configuration/autoUpgrade', () => {
  it('changes only enable when only enable is given', async () => {
    withAutoUpgrade({ enable: true, allowReboot: true, schedule: 'daily' });
    const { status, body } = await put({ body: { enable: false } });
    expect(status).toBe(200);
    expect(body).toBe('Auto-upgrade settings changed');
    expect(temp.readUserdata().autoUpgrade).toEqual({ enable: false, allowReboot: true, schedule: 'daily' });
  });

  it('changes only allowReboot when only allowReboot is given', async () => {
    const { status } = await put({ body: { allowReboot: true } });
    expect(status).toBe(200);
    expect(temp.readUserdata()).toEqual({ ...fixture('userdata.json'), autoUpgrade: { enable: true, allowReboot: true } });
  });

  it('changes both when both are given', async () => {
    await put({ body: { enable: false, allowReboot: true } });
    expect(temp.readUserdata().autoUpgrade).toEqual({ enable: false, allowReboot: true });
  });

  it('creates the section with just the given setting when it is missing', async () => {
    withAutoUpgrade(undefined);
    await put({ body: { allowReboot: true } });
    expect(temp.readUserdata().autoUpgrade).toEqual({ allowReboot: true });
  });

  it('changes nothing for {} or no body, even without a section', async () => {
    withAutoUpgrade(undefined);
    const before = temp.userdataBytes();
    for (const options of [{ body: {} }, {}]) {
      const { status, body } = await put(options);
      expect(status).toBe(200);
      expect(body).toBe('Auto-upgrade settings changed');
    }
    expect(temp.userdataBytes()).toBe(before);
  });

  const invalid: Array<[string, unknown, string]> = [
    ['the string "true"', { enable: 'true' }, 'enable'],
    ['a number', { allowReboot: 1 }, 'allowReboot'],
    ['null', { enable: null }, 'enable'],
    ['10 KB of text', { enable: 'x'.repeat(10_240) }, 'enable'],
    ['a good and a bad setting', { enable: false, allowReboot: 'yes' }, 'allowReboot'],
  ];
  it.each(invalid)('answers 400 naming the field for %s, and changes nothing', async (_case, body, field) => {
    const before = temp.userdataBytes();
    const result = await put({ body });
    expect(result.status).toBe(400);
    expect(result.body.field).toBe(field);
    expect(temp.userdataBytes()).toBe(before);
  });

  it('answers 400 for a body that is not an object, and changes nothing', async () => {
    const before = temp.userdataBytes();
    for (const body of [true, 'enable', [true], null]) expect((await put({ body })).status).toBe(400);
    expect((await put({ rawBody: '{enable: false}' })).status).toBe(400);
    expect(temp.userdataBytes()).toBe(before);
  });
});
