import { describe, expect, it } from 'vitest';
import deleteUser from '../../../functions/users/delete-user.js';
import { ABSENT_PATH_NAMES, IMPOSSIBLE_PATH_NAMES, expectRefusedUnchanged } from '../../helpers/bad-input.js';
import { call, jsonRequest, makeCtx } from '../../helpers/function-call.js';
import { editedUserdata } from '../../helpers/userdata-variants.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();

function remove(username: string) {
  return call(deleteUser, jsonRequest('DELETE', `/users/${encodeURIComponent(username)}`), makeCtx(temp, { params: { username } }));
}

describe('DELETE /users/{username}', () => {
  it('answers 200 and removes only that user\'s record', async () => {
    const before = temp.readUserdata();
    const { status, body } = await remove('user2');
    expect(status).toBe(200);
    expect(body).toEqual({ result: 0, username: 'user2' });
    const after = temp.readUserdata();
    expect(after.users.map((u: any) => u.username)).toEqual(['user1', 'user3']);
    expect(after).toEqual({ ...before, users: [before.users[0], before.users[2]] });
  });

  it('leaves an empty list after deleting the last user', async () => {
    temp.writeUserdata(editedUserdata((d) => (d.users = [{ username: 'only' }])));
    expect((await remove('only')).status).toBe(200);
    expect(temp.readUserdata().users).toEqual([]);
  });

  it('answers 400 for the main user and keeps it', async () => {
    const body = await expectRefusedUnchanged(temp, 400, () => remove('tester'));
    expect(body.error).toMatch(/main user/);
  });

  it('answers 404 for an unknown user, root, or a file without users', async () => {
    for (const username of ['ghost', 'root']) {
      expect(await expectRefusedUnchanged(temp, 404, () => remove(username))).toEqual({ error: 'User not found' });
    }
    temp.writeUserdata(editedUserdata((d) => delete d.users));
    await expectRefusedUnchanged(temp, 404, () => remove('user1'));
    expect(temp.readUserdata().users).toBeUndefined();
  });

  it('answers 400 for a path name no account can have (/, NUL, control characters, 10 KB)', async () => {
    for (const username of IMPOSSIBLE_PATH_NAMES) {
      const body = await expectRefusedUnchanged(temp, 400, () => remove(username));
      expect(body.field).toBe('username');
    }
  });

  it('answers 404 for well-formed absent names, .. and shell syntax included', async () => {
    for (const username of ABSENT_PATH_NAMES) await expectRefusedUnchanged(temp, 404, () => remove(username));
  });
});
