import { describe, expect, it } from 'vitest';
import addUserKey from '../../../functions/ssh/add-key.js';
import deleteKey from '../../../functions/ssh/delete-key.js';
import listKeys from '../../../functions/ssh/list-keys.js';
import { ABSENT_PATH_NAMES, IMPOSSIBLE_PATH_NAMES, expectRefusedUnchanged } from '../../helpers/bad-input.js';
import { call, jsonRequest, makeCtx } from '../../helpers/function-call.js';
import { ED25519_KEY, INVALID_KEYS, RSA_KEY } from '../../helpers/ssh-keys.js';
import { editedUserdata, userdataVariants } from '../../helpers/userdata-variants.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();

function keysRequest(handler: typeof listKeys | typeof addUserKey | typeof deleteKey, method: string, username: string, body?: unknown) {
  const request = jsonRequest(method, `/services/ssh/keys/${encodeURIComponent(username)}`, { body });
  return call(handler, request, makeCtx(temp, { params: { username } }));
}
const list = (username: string) => keysRequest(listKeys, 'GET', username);
const add = (username: string, body?: unknown) => keysRequest(addUserKey, 'POST', username, body);
const remove = (username: string, body?: unknown) => keysRequest(deleteKey, 'DELETE', username, body);

describe('GET /services/ssh/keys/{username}', () => {
  it('answers root\'s, the main user\'s and a user\'s keys from their own lists', async () => {
    const data = temp.readUserdata();
    expect(await list('root')).toMatchObject({ status: 200, body: data.ssh.rootKeys });
    expect(await list('tester')).toMatchObject({ status: 200, body: data.sshKeys });
    expect(await list('user2')).toMatchObject({ status: 200, body: data.users[1].sshKeys });
  });

  it('answers [] for missing lists on every real-server shape', async () => {
    for (const [shape, userdata] of userdataVariants()) {
      temp.writeUserdata(userdata);
      expect((await list('root')).body, shape).toEqual(userdata.ssh?.rootKeys ?? []);
      expect((await list('tester')).body, shape).toEqual(userdata.sshKeys ?? []);
      if (userdata.users?.length) expect((await list('user1')).body, shape).toEqual(userdata.users[0].sshKeys ?? []);
    }
  });

  it('answers 404 for an unknown user, .. and shell syntax included', async () => {
    for (const username of ABSENT_PATH_NAMES) {
      expect(await list(username)).toMatchObject({ status: 404, body: { error: 'User not found' } });
    }
  });

  it('answers 400 for a path name no account can have', async () => {
    for (const username of IMPOSSIBLE_PATH_NAMES) expect((await list(username)).status).toBe(400);
  });
});

describe('POST /services/ssh/keys/{username}', () => {
  it('answers 201 and appends to the main user\'s top-level sshKeys', async () => {
    const before = temp.readUserdata();
    const { status, body } = await add('tester', { public_key: ED25519_KEY });
    expect(status).toBe(201);
    expect(body).toEqual({ message: 'New SSH key successfully written' });
    expect(temp.readUserdata()).toEqual({ ...before, sshKeys: [...before.sshKeys, ED25519_KEY] });
  });

  it('appends to a user\'s own sshKeys and nobody else\'s', async () => {
    const before = temp.readUserdata();
    expect((await add('user3', { public_key: RSA_KEY })).status).toBe(201);
    const after = temp.readUserdata();
    expect(after.users[2].sshKeys).toEqual([...before.users[2].sshKeys, RSA_KEY]);
    expect({ ...after, users: after.users.slice(0, 2) }).toEqual({ ...before, users: before.users.slice(0, 2) });
  });

  it('creates sshKeys for a user or main user without the list', async () => {
    temp.writeUserdata(editedUserdata((d) => {
      delete d.sshKeys;
      d.users.forEach((u: any) => delete u.sshKeys);
    }));
    await add('user1', { public_key: ED25519_KEY });
    await add('tester', { public_key: RSA_KEY });
    const data = temp.readUserdata();
    expect(data.users[0]).toEqual({ username: 'user1', hashedPassword: expect.any(String), sshKeys: [ED25519_KEY] });
    expect(data.users[1].sshKeys).toBeUndefined();
    expect(data.sshKeys).toEqual([RSA_KEY]);
  });

  it('lets two users hold the same key', async () => {
    const shared = temp.readUserdata().users[0].sshKeys[0];
    expect((await add('user2', { public_key: shared })).status).toBe(201);
  });

  it('answers 400 "Use /ssh/key/send to add root keys" for root', async () => {
    const body = await expectRefusedUnchanged(temp, 400, () => add('root', { public_key: ED25519_KEY }));
    expect(body).toEqual({ error: 'Use /ssh/key/send to add root keys' });
  });

  it('answers 409 for a key the user already has', async () => {
    const existing = temp.readUserdata().users[0].sshKeys[0];
    expect(await expectRefusedUnchanged(temp, 409, () => add('user1', { public_key: existing }))).toEqual({ error: 'Key already exists' });
    const mainKey = temp.readUserdata().sshKeys[1];
    await expectRefusedUnchanged(temp, 409, () => add('tester', { public_key: mainKey }));
  });

  it('answers 400 naming public_key for an invalid key, and for a missing or mistyped one', async () => {
    for (const key of INVALID_KEYS) {
      expect((await expectRefusedUnchanged(temp, 400, () => add('user1', { public_key: key }))).field).toBe('public_key');
    }
    await expectRefusedUnchanged(temp, 400, () => add('user1'));
    for (const body of [{}, { public_key: 1 }, { public_key: false }, [ED25519_KEY]]) {
      await expectRefusedUnchanged(temp, 400, () => add('user1', body));
    }
  });

  it('answers 404 for an unknown user and 400 for an impossible path name', async () => {
    for (const username of ABSENT_PATH_NAMES) {
      expect(await expectRefusedUnchanged(temp, 404, () => add(username, { public_key: ED25519_KEY }))).toEqual({ error: 'User not found' });
    }
    for (const username of IMPOSSIBLE_PATH_NAMES) await expectRefusedUnchanged(temp, 400, () => add(username, { public_key: ED25519_KEY }));
  });
});

describe('DELETE /services/ssh/keys/{username}', () => {
  it('answers 200 and removes a user\'s key', async () => {
    const before = temp.readUserdata();
    const key = before.users[1].sshKeys[0];
    expect(await remove('user2', { public_key: key })).toMatchObject({ status: 200, body: { message: 'SSH key deleted' } });
    const after = temp.readUserdata();
    expect(after.users[1].sshKeys).toEqual([]);
    expect({ ...after, users: [after.users[0], after.users[2]] }).toEqual({ ...before, users: [before.users[0], before.users[2]] });
  });

  it('removes one of the main user\'s keys and keeps the other', async () => {
    const [first, second] = temp.readUserdata().sshKeys;
    expect((await remove('tester', { public_key: first })).status).toBe(200);
    expect(temp.readUserdata().sshKeys).toEqual([second]);
  });

  it('removes the rootKeys field with the last root key, keeping the rest of the section', async () => {
    const [only] = temp.readUserdata().ssh.rootKeys;
    expect((await remove('root', { public_key: only })).status).toBe(200);
    const ssh = temp.readUserdata().ssh;
    expect(ssh).toEqual({ enable: true, passwordAuthentication: true });
    expect('rootKeys' in ssh).toBe(false);
  });

  it('keeps rootKeys while other root keys remain', async () => {
    temp.writeUserdata(editedUserdata((d) => d.ssh.rootKeys.push(RSA_KEY)));
    const [first] = temp.readUserdata().ssh.rootKeys;
    await remove('root', { public_key: first });
    expect(temp.readUserdata().ssh.rootKeys).toEqual([RSA_KEY]);
  });

  it('answers 404 "Key not found" for a key the account does not have, or with no list at all', async () => {
    expect(await expectRefusedUnchanged(temp, 404, () => remove('user1', { public_key: ED25519_KEY }))).toEqual({ error: 'Key not found' });
    temp.writeUserdata(editedUserdata((d) => {
      delete d.ssh;
      d.users.forEach((u: any) => delete u.sshKeys);
    }));
    await expectRefusedUnchanged(temp, 404, () => remove('root', { public_key: ED25519_KEY }));
    await expectRefusedUnchanged(temp, 404, () => remove('user1', { public_key: ED25519_KEY }));
  });

  it('answers 404 "User not found" for an unknown user and 400 for an impossible path name', async () => {
    for (const username of ABSENT_PATH_NAMES) {
      expect(await expectRefusedUnchanged(temp, 404, () => remove(username, { public_key: ED25519_KEY }))).toEqual({ error: 'User not found' });
    }
    for (const username of IMPOSSIBLE_PATH_NAMES) await expectRefusedUnchanged(temp, 400, () => remove(username, { public_key: ED25519_KEY }));
  });

  it('answers 400 for a missing body or a key that is not a non-empty string', async () => {
    await expectRefusedUnchanged(temp, 400, () => remove('user1'));
    for (const body of [{}, { public_key: '' }, { public_key: 3 }, { public_key: null }]) {
      expect((await expectRefusedUnchanged(temp, 400, () => remove('user1', body))).field).toBe('public_key');
    }
  });

  it('can remove a hand-written key the API would not accept today', async () => {
    const odd = 'ecdsa-sha2-nistp256 AAAAE2VjZHNh old@server';
    temp.writeUserdata(editedUserdata((d) => d.users[0].sshKeys.push(odd)));
    expect((await remove('user1', { public_key: odd })).status).toBe(200);
    expect(temp.readUserdata().users[0].sshKeys).not.toContain(odd);
  });
});
