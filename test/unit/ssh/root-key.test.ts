import { describe, expect, it } from 'vitest';
import addRootKey from '../../../functions/ssh/add-root-key.js';
import { expectRefusedUnchanged } from '../../helpers/bad-input.js';
import { call, jsonRequest, makeCtx } from '../../helpers/function-call.js';
import { editedUserdata } from '../../helpers/userdata-variants.js';
import { ED25519_KEY, INVALID_KEYS, RSA_KEY } from '../../helpers/ssh-keys.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();

const send = (body?: unknown) => call(addRootKey, jsonRequest('PUT', '/services/ssh/key/send', { body }), makeCtx(temp));

describe('PUT /services/ssh/key/send', () => {
  it('answers 201 and appends the key to ssh.rootKeys', async () => {
    const before = temp.readUserdata();
    const { status, body } = await send({ public_key: ED25519_KEY });
    expect(status).toBe(201);
    expect(body).toEqual({ status: 0, message: 'New SSH key successfully written' });
    expect(temp.readUserdata()).toEqual({ ...before, ssh: { ...before.ssh, rootKeys: [...before.ssh.rootKeys, ED25519_KEY] } });
    expect((await send({ public_key: RSA_KEY })).status).toBe(201);
    expect(temp.readUserdata().ssh.rootKeys.slice(-2)).toEqual([ED25519_KEY, RSA_KEY]);
  });

  it('creates rootKeys, and the ssh section, when missing', async () => {
    temp.writeUserdata(editedUserdata((d) => delete d.ssh.rootKeys));
    await send({ public_key: ED25519_KEY });
    expect(temp.readUserdata().ssh).toEqual({ enable: true, passwordAuthentication: true, rootKeys: [ED25519_KEY] });
    temp.writeUserdata(editedUserdata((d) => delete d.ssh));
    await send({ public_key: ED25519_KEY });
    expect(temp.readUserdata().ssh).toEqual({ rootKeys: [ED25519_KEY] });
  });

  it('answers 409 for a key root already has', async () => {
    const existing = temp.readUserdata().ssh.rootKeys[0];
    expect(await expectRefusedUnchanged(temp, 409, () => send({ public_key: existing }))).toEqual({ error: 'Key already exists' });
  });

  it('answers 400 naming public_key for a key of another type, or not one line, or too long', async () => {
    for (const key of INVALID_KEYS) {
      const body = await expectRefusedUnchanged(temp, 400, () => send({ public_key: key }));
      expect(body.field).toBe('public_key');
    }
  });

  it('answers 400 for a missing body, a missing field or a key that is not a string', async () => {
    await expectRefusedUnchanged(temp, 400, () => send());
    for (const body of [{}, { public_key: 7 }, { public_key: null }, { public_key: [ED25519_KEY] }, { key: ED25519_KEY }]) {
      expect((await expectRefusedUnchanged(temp, 400, () => send(body))).field).toBe('public_key');
    }
  });
});
