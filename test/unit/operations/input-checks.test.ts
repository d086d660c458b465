// Operations check their own input: a transport that calls one directly (GraphQL) gets the same 400s as REST.
import { beforeEach, describe, expect, it } from 'vitest';
import { HttpError } from '../../../core/errors.js';
import { createRecoveryToken } from '../../../functions/auth/create-recovery-token.js';
import { deleteToken } from '../../../functions/auth/delete-token.js';
import { addUserKey } from '../../../functions/ssh/add-key.js';
import { addRootKey } from '../../../functions/ssh/add-root-key.js';
import { deleteKey } from '../../../functions/ssh/delete-key.js';
import { setTimezone } from '../../../functions/system/set-timezone.js';
import { changePassword } from '../../../functions/users/change-password.js';
import { createUser } from '../../../functions/users/create-user.js';
import { deleteUser } from '../../../functions/users/delete-user.js';
import type { Ctx } from '../../../kit/context.js';
import { IMPOSSIBLE_PATH_NAMES } from '../../helpers/bad-input.js';
import { makeCtx } from '../../helpers/function-call.js';
import { ED25519_KEY, INVALID_KEYS } from '../../helpers/ssh-keys.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();
let ctx: Ctx;

beforeEach(() => {
  ctx = makeCtx(temp);
});

/** Runs an operation that must throw an HttpError of `status` and leave both files byte-for-byte as they were. */
async function expectRefused(status: number, run: () => unknown): Promise<HttpError> {
  const before = [temp.userdataBytes(), temp.tokensBytes()];
  const error = await Promise.resolve().then(run).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(HttpError);
  expect((error as HttpError).status).toBe(status);
  expect([temp.userdataBytes(), temp.tokensBytes()]).toEqual(before);
  return error as HttpError;
}

describe('operations refuse what their route refuses, without a Request', () => {
  it.each(INVALID_KEYS)('refuses the key %j for a user, root and removal alike (400)', async (key) => {
    await expectRefused(400, () => addUserKey(ctx, { username: 'user1', public_key: key }));
    await expectRefused(400, () => addRootKey(ctx, { public_key: key }));
  });

  it('refuses a username no account can have (400) in the key operations and deleteUser', async () => {
    for (const username of IMPOSSIBLE_PATH_NAMES) {
      await expectRefused(400, () => addUserKey(ctx, { username, public_key: ED25519_KEY }));
      await expectRefused(400, () => deleteKey(ctx, { username, public_key: ED25519_KEY }));
      await expectRefused(400, () => deleteUser(ctx, { username }));
    }
  });

  it('refuses root in addUserKey (its keys have their own operation) and forbidden names in createUser', async () => {
    await expectRefused(400, () => addUserKey(ctx, { username: 'root', public_key: ED25519_KEY }));
    expect((await expectRefused(409, () => createUser(ctx, { username: 'root', password: 'pw' }))).body).toEqual({ message: 'Username is forbidden' });
  });

  it('refuses passwords with control characters or over 512 bytes (400)', async () => {
    await expectRefused(400, () => createUser(ctx, { username: 'carol', password: 'line\nbreak' }));
    await expectRefused(400, () => changePassword(ctx, { username: 'user1', password: 'x'.repeat(513) }));
  });

  it('refuses a time zone that is no IANA name, a bad recovery limit and an over-long token name (400)', async () => {
    await expectRefused(400, () => setTimezone(ctx, { timezone: '../../etc/passwd' }));
    await expectRefused(400, () => createRecoveryToken(ctx, { expiration: 'tomorrow' }));
    await expectRefused(400, () => createRecoveryToken(ctx, { uses: 0 }));
    await expectRefused(400, () => deleteToken(ctx, { token_name: 'x'.repeat(2000) }));
  });
});
