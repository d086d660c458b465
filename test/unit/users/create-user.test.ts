import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import createUser from '../../../functions/users/create-user.js';
import { FORBIDDEN_USERNAMES } from '../../../domain/username.js';
import { createLogger } from '../../../runtime/logger.js';
import { expectRefusedUnchanged } from '../../helpers/bad-input.js';
import { call, jsonRequest, makeCtx } from '../../helpers/function-call.js';
import { userdataVariants } from '../../helpers/userdata-variants.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();

function create(body: unknown, ctx = makeCtx(temp)) {
  return call(createUser, jsonRequest('POST', '/users', { body }), ctx);
}

describe('POST /users', () => {
  it('answers 201 and appends {username, hashedPassword} that openssl verifies', async () => {
    const before = temp.readUserdata();
    const { status, body } = await create({ username: 'alice', password: 'Tr0ub4dor&3' });
    expect(status).toBe(201);
    expect(body).toEqual({ result: 0, username: 'alice' });
    const after = temp.readUserdata();
    const added = after.users.at(-1);
    expect(Object.keys(added)).toEqual(['username', 'hashedPassword']);
    expect(added.username).toBe('alice');
    const salt = /^\$6\$([./0-9A-Za-z]{16})\$[./0-9A-Za-z]{86}$/.exec(added.hashedPassword)?.[1];
    expect(salt).toBeDefined();
    const reference = execFileSync('openssl', ['passwd', '-6', '-salt', salt as string, '-stdin'], { input: 'Tr0ub4dor&3' }).toString().trim();
    expect(added.hashedPassword).toBe(reference);
    // Everything else is as it was, and the file keeps its 4-space layout.
    expect({ ...after, users: after.users.slice(0, -1) }).toEqual(before);
    expect(temp.userdataBytes()).toBe(JSON.stringify(after, null, 4));
  });

  it('never writes the plain password, and logs nothing holding it', async () => {
    const lines: string[] = [];
    const ctx = makeCtx(temp, { log: createLogger('debug', (line) => lines.push(line)) });
    await create({ username: 'bob', password: 'PLAIN-pw-7731' }, ctx);
    expect(temp.userdataBytes()).not.toContain('PLAIN-pw-7731');
    expect(lines.join('')).not.toContain('PLAIN-pw-7731');
  });

  it('creates users[] on every real-server shape, including one without the key', async () => {
    for (const [shape, userdata] of userdataVariants()) {
      temp.writeUserdata(userdata);
      const { status } = await create({ username: 'newcomer', password: 'pw' });
      expect(status, shape).toBe(201);
      const users = temp.readUserdata().users;
      expect(users.at(-1).username, shape).toBe('newcomer');
      expect(users.length, shape).toBe((userdata.users?.length ?? 0) + 1);
    }
  });

  it('accepts a 31-character name and a 512-byte password', async () => {
    expect((await create({ username: 'a'.repeat(31), password: 'p'.repeat(512) })).status).toBe(201);
  });

  it('answers 400 naming the field when a field is missing or not a string, and writes nothing', async () => {
    const cases: Array<[unknown, string]> = [
      [{ password: 'pw' }, 'username'],
      [{ username: 'alice' }, 'password'],
      [{ username: 42, password: 'pw' }, 'username'],
      [{ username: ['alice'], password: 'pw' }, 'username'],
      [{ username: 'alice', password: 1234 }, 'password'],
      [{ username: 'alice', password: null }, 'password'],
      [{ username: 'alice', password: true }, 'password'],
      [{ username: 'alice', password: '' }, 'password'],
      [{ username: 'alice', password: 'p'.repeat(1025) }, 'password'],
      [{ username: 'alice', password: 'before\0after' }, 'password'],
      [['alice', 'pw'], 'body'],
      ['alice', 'body'],
    ];
    for (const [body, field] of cases) {
      const answer = await expectRefusedUnchanged(temp, 400, () => create(body));
      expect(answer.field, JSON.stringify(body).slice(0, 60)).toBe(field);
    }
  });

  it('answers 400 for a missing or malformed body', async () => {
    await expectRefusedUnchanged(temp, 400, () => call(createUser, jsonRequest('POST', '/users'), makeCtx(temp)));
    await expectRefusedUnchanged(temp, 400, () => call(createUser, jsonRequest('POST', '/users', { rawBody: '{"username": "a' }), makeCtx(temp)));
  });

  it('never echoes a refused password in the answer', async () => {
    const { body } = await create({ username: 'alice', password: 'SECRET'.repeat(200) });
    expect(JSON.stringify(body)).not.toContain('SECRET');
  });

  it('refuses every forbidden name and prefix with 409 "Username is forbidden"', async () => {
    const names = [...FORBIDDEN_USERNAMES, 'systemd-network', 'systemd', 'nixbld1', 'nixbld32'];
    for (const username of names) {
      const body = await expectRefusedUnchanged(temp, 409, () => create({ username, password: 'pw' }));
      expect(body).toEqual({ message: 'Username is forbidden' });
    }
  });

  it('checks forbidden names before the pattern and the length', async () => {
    // virtualMail breaks the pattern, the long one the length: the forbidden rule answers first.
    for (const username of ['virtualMail', 'knot-resolver', `systemd${'x'.repeat(40)}`]) {
      expect((await create({ username, password: 'pw' })).status).toBe(409);
    }
  });

  it('answers 400 for names outside ^[a-z_][a-z0-9_]+$', async () => {
    for (const username of ['', 'a', 'Alice', '1abc', 'a-b', 'a.b', 'ab c', 'añb', 'ab;ls', '$(touch x)', '`id`', 'ab\n', '../x', 'a/b']) {
      const body = await expectRefusedUnchanged(temp, 400, () => create({ username, password: 'pw' }));
      expect(body.field).toBe('username');
    }
  });

  it('answers 400 for a name of 32 characters or more', async () => {
    for (const username of ['a'.repeat(32), 'b'.repeat(10 * 1024)]) {
      const body = await expectRefusedUnchanged(temp, 400, () => create({ username, password: 'pw' }));
      expect(body.error).toMatch(/31 characters/);
    }
  });

  it('answers 409 for the main user or an existing user', async () => {
    for (const username of ['tester', 'user1', 'user3']) {
      const body = await expectRefusedUnchanged(temp, 409, () => create({ username, password: 'pw' }));
      expect(body).toEqual({ error: 'User already exists' });
    }
  });

  it('creates only one of two concurrent requests for the same name', async () => {
    const results = await Promise.all([create({ username: 'twin', password: 'a' }), create({ username: 'twin', password: 'b' })]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(temp.readUserdata().users.filter((u: any) => u.username === 'twin')).toHaveLength(1);
  });
});
