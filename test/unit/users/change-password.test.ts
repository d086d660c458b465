import { describe, expect, it } from 'vitest';
import { verify } from '../../helpers/crypt-verify.js';
import changePassword from '../../../functions/users/change-password.js';
import { call, jsonRequest, makeCtx } from '../../helpers/function-call.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();

function put(username: string, body: unknown) {
  return call(
    changePassword,
    jsonRequest('PUT', `/users/${encodeURIComponent(username)}`, { body }),
    makeCtx(temp, { params: { username } }),
  );
}

describe('PUT /users/{username}', () => {
  it('replaces a user\'s hash with a SHA-512 crypt of the new password and keeps the rest', async () => {
    const before = temp.readUserdata();
    const { status, body } = await put('user2', { password: 'new secret' });
    expect(status).toBe(200);
    expect(body).toEqual({ result: 0, username: 'user2' });
    const after = temp.readUserdata();
    const hash = after.users[1].hashedPassword as string;
    expect(hash).toMatch(/^\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/);
    expect(verify('new secret', hash)).toBe(true);
    expect(hash).not.toBe(before.users[1].hashedPassword);
    // Everything else, including the other users and the main user, is untouched.
    after.users[1].hashedPassword = before.users[1].hashedPassword;
    expect(after).toEqual(before);
  });

  it('changes the main user\'s hashedMasterPassword', async () => {
    const before = temp.readUserdata();
    const { status } = await put('tester', { password: 'main password' });
    expect(status).toBe(200);
    const after = temp.readUserdata();
    expect(verify('main password', after.hashedMasterPassword)).toBe(true);
    expect(after.users).toEqual(before.users);
  });

  it('gives a user who had no hash one', async () => {
    temp.writeUserdata({ ...temp.readUserdata(), users: [{ username: 'nohash' }] });
    const { status } = await put('nohash', { password: 'pw' });
    expect(status).toBe(200);
    expect(verify('pw', temp.readUserdata().users[0].hashedPassword)).toBe(true);
  });

  it('uses a fresh salt every time, so the same password gives another hash', async () => {
    await put('user1', { password: 'same' });
    const first = temp.readUserdata().users[0].hashedPassword;
    await put('user1', { password: 'same' });
    expect(temp.readUserdata().users[0].hashedPassword).not.toBe(first);
  });

  it('answers 404 for an unknown user and for root, changing nothing', async () => {
    const before = temp.userdataBytes();
    for (const name of ['nobody_here', 'root', '../user1']) {
      const { status, body } = await put(name, { password: 'pw' });
      expect(status).toBe(404);
      expect(body).toEqual({ error: 'User not found' });
    }
    expect(temp.userdataBytes()).toBe(before);
  });

  it('answers 404 when userdata has no users list', async () => {
    const { users: _users, ...rest } = temp.readUserdata();
    temp.writeUserdata(rest);
    expect((await put('user1', { password: 'pw' })).status).toBe(404);
  });

  it('answers 400 naming the field for an empty, missing, non-string, 10 KB or control-character password', async () => {
    const before = temp.userdataBytes();
    const bad: unknown[] = [
      { password: '' },
      {},
      { password: 12345 },
      { password: null },
      { password: ['a'] },
      { password: 'x'.repeat(10 * 1024) },
      { password: 'é'.repeat(257) }, // 514 bytes in UTF-8
      { password: 'line\nbreak' },
      { password: 'nul\u0000byte' },
    ];
    for (const body of bad) {
      const result = await put('user1', body);
      expect(result.status, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect(result.body.field).toBe('password');
    }
    expect(temp.userdataBytes()).toBe(before);
  });

  it('answers 400 for a missing body', async () => {
    const result = await call(changePassword, jsonRequest('PUT', '/users/user1'), makeCtx(temp, { params: { username: 'user1' } }));
    expect(result.status).toBe(400);
  });

  it('accepts a password of exactly 512 bytes', async () => {
    expect((await put('user1', { password: 'p'.repeat(512) })).status).toBe(200);
    expect(verify('p'.repeat(512), temp.readUserdata().users[0].hashedPassword)).toBe(true);
  });

  it('keeps two concurrent changes of different users', async () => {
    const [a, b] = await Promise.all([put('user1', { password: 'one' }), put('user3', { password: 'three' })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const users = temp.readUserdata().users;
    expect(verify('one', users[0].hashedPassword)).toBe(true);
    expect(verify('three', users[2].hashedPassword)).toBe(true);
  });

  it('never writes the plain password into userdata', async () => {
    await put('user1', { password: 'plain-text-marker' });
    expect(temp.userdataBytes()).not.toContain('plain-text-marker');
  });
});
