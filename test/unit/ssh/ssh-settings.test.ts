import { describe, expect, it } from 'vitest';
import changeSshSettings from '../../../functions/ssh/change-ssh-settings.js';
import enableSsh from '../../../functions/ssh/enable-ssh.js';
import getSshSettings from '../../../functions/ssh/get-ssh-settings.js';
import { expectRefusedUnchanged } from '../../helpers/bad-input.js';
import { call, jsonRequest, makeCtx } from '../../helpers/function-call.js';
import { editedUserdata } from '../../helpers/userdata-variants.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();

const get = () => call(getSshSettings, jsonRequest('GET', '/services/ssh'), makeCtx(temp));
const put = (body?: unknown, rawBody?: string) =>
  call(changeSshSettings, jsonRequest('PUT', '/services/ssh', { body, rawBody }), makeCtx(temp));
const enable = () => call(enableSsh, jsonRequest('POST', '/services/ssh/enable'), makeCtx(temp));

describe('POST /services/ssh/enable', () => {
  it('answers {"status": 0, "message": "SSH enabled"} and sets ssh.enable to true', async () => {
    temp.writeUserdata(editedUserdata((d) => (d.ssh.enable = false)));
    expect(await enable()).toMatchObject({ status: 200, body: { status: 0, message: 'SSH enabled' } });
    const ssh = temp.readUserdata().ssh;
    expect(ssh).toEqual({ enable: true, passwordAuthentication: true, rootKeys: [expect.stringMatching(/^ssh-ed25519 /)] });
  });

  it('creates the ssh section when it is missing', async () => {
    temp.writeUserdata(editedUserdata((d) => delete d.ssh));
    expect((await enable()).status).toBe(200);
    expect(temp.readUserdata().ssh).toEqual({ enable: true });
  });

  it('writes nothing when SSH is already on', async () => {
    const before = temp.userdataBytes();
    expect((await enable()).status).toBe(200);
    expect(temp.userdataBytes()).toBe(before);
  });
});

describe('GET /services/ssh', () => {
  it('answers the stored switches', async () => {
    temp.writeUserdata(editedUserdata((d) => Object.assign(d.ssh, { enable: false, passwordAuthentication: false })));
    expect(await get()).toMatchObject({ status: 200, body: { enable: false, passwordAuthentication: false } });
  });

  it('answers true for each switch that is unset, and for a missing section', async () => {
    temp.writeUserdata(editedUserdata((d) => (d.ssh = { passwordAuthentication: false })));
    expect((await get()).body).toEqual({ enable: true, passwordAuthentication: false });
    temp.writeUserdata(editedUserdata((d) => delete d.ssh));
    expect((await get()).body).toEqual({ enable: true, passwordAuthentication: true });
  });
});

describe('PUT /services/ssh', () => {
  it('answers "SSH settings changed" and changes only the given switch', async () => {
    const before = temp.readUserdata();
    expect(await put({ passwordAuthentication: false })).toMatchObject({ status: 200, body: 'SSH settings changed' });
    expect(temp.readUserdata()).toEqual({ ...before, ssh: { ...before.ssh, passwordAuthentication: false } });
    await put({ enable: false });
    expect(temp.readUserdata().ssh).toMatchObject({ enable: false, passwordAuthentication: false });
    await put({ enable: true, passwordAuthentication: true });
    expect(temp.readUserdata().ssh).toMatchObject({ enable: true, passwordAuthentication: true });
  });

  it('creates the ssh section when it is missing', async () => {
    temp.writeUserdata(editedUserdata((d) => delete d.ssh));
    await put({ enable: false });
    expect(temp.readUserdata().ssh).toEqual({ enable: false });
  });

  it('changes nothing for {} and ignores unknown fields', async () => {
    const before = temp.userdataBytes();
    expect((await put({})).status).toBe(200);
    expect((await put({ rootKeys: [] })).status).toBe(200);
    expect(temp.userdataBytes()).toBe(before);
  });

  it('answers 400 naming the field for a value that is not a boolean', async () => {
    const cases: Array<[unknown, string]> = [
      [{ enable: 'false' }, 'enable'],
      [{ enable: 0 }, 'enable'],
      [{ enable: null }, 'enable'],
      [{ passwordAuthentication: 'no' }, 'passwordAuthentication'],
      [{ enable: true, passwordAuthentication: [] }, 'passwordAuthentication'],
    ];
    for (const [body, field] of cases) {
      expect((await expectRefusedUnchanged(temp, 400, () => put(body))).field).toBe(field);
    }
  });

  it('answers 400 for a missing, malformed or non-object body', async () => {
    await expectRefusedUnchanged(temp, 400, () => put());
    await expectRefusedUnchanged(temp, 400, () => put(undefined, '{"enable": tru'));
    await expectRefusedUnchanged(temp, 400, () => put([true]));
    await expectRefusedUnchanged(temp, 400, () => put(true));
  });
});
