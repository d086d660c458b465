// Unit tests of the GraphQL "users" area through the /graphql function unit: effects in userdata.json.
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { graphqlEndpoint } from './graphql-call.js';
import type { Ctx } from '../../../kit/context.js';
import { verify } from '../../helpers/crypt-verify.js';
import { makeCtx, PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { ED25519_KEY } from '../../helpers/ssh-keys.js';
import { operationText } from '../../graphql/operation-documents.js';
import { gql } from './graphql-call.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();
let ctx: Ctx;

beforeEach(() => {
  ctx = makeCtx(temp, { caller: null });
});

/** Runs one of the app's operations as our document has it (test/graphql/operations/users.graphql), with the primary token. */
function app(name: string, variables?: Record<string, unknown>) {
  return gql(graphqlEndpoint, ctx, operationText('users.graphql', name), { operationName: name, variables, token: PRIMARY_TOKEN });
}

function storedUser(username: string): Record<string, any> | undefined {
  return temp.readUserdata().users.find((user: { username: string }) => user.username === username);
}

describe('reading users', () => {
  it('lists the main user as PRIMARY, the others as NORMAL, and root as ROOT with their keys (AllUsers)', async () => {
    const answer = await app('AllUsers');
    expect(answer.status).toBe(200);
    const { allUsers, rootUser } = answer.body.data.users;
    expect(allUsers.map((user: { username: string; userType: string }) => [user.username, user.userType])).toEqual([
      ['tester', 'PRIMARY'],
      ['user1', 'NORMAL'],
      ['user2', 'NORMAL'],
      ['user3', 'NORMAL'],
    ]);
    expect(allUsers[0].sshKeys).toEqual(temp.readUserdata().sshKeys);
    expect(allUsers[1]).toEqual({
      username: 'user1',
      userType: 'NORMAL',
      sshKeys: storedUser('user1')?.sshKeys,
      directmemberof: [],
      memberof: [],
      displayName: null,
      email: 'user1@test.tld',
      emailPasswordMetadata: [],
    });
    // The main user administers the server; root has no mailbox.
    expect(allUsers[0]).toMatchObject({ directmemberof: ['sp.admins'], memberof: ['sp.admins'], email: 'tester@test.tld' });
    expect(rootUser).toMatchObject({ username: 'root', userType: 'ROOT', sshKeys: temp.readUserdata().ssh.rootKeys, directmemberof: [], email: null });
  });

  it('lists users as userdata.json has them now: after a change through the API and after an edit by another program', async () => {
    const names = async () => (await app('AllUsers')).body.data.users.allUsers.map((user: { username: string; sshKeys: string[] }) => [user.username, user.sshKeys.length]);
    const before = await names();
    expect(before).toContainEqual(['user1', storedUser('user1')?.sshKeys.length]);
    await app('AddSshKey', { sshInput: { username: 'user1', sshKey: ED25519_KEY } });
    expect(await names()).toContainEqual(['user1', storedUser('user1')?.sshKeys.length]);
    const edited = temp.readUserdata();
    edited.users.push({ username: 'dora', password: '$6$salt$hash', sshKeys: [] });
    temp.writeUserdata(edited);
    const after = await names();
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)).toEqual(['dora', 0]);
  });

  it('finds one user, and answers null for an unknown one (GetUser)', async () => {
    expect((await app('GetUser', { username: 'user2' })).body.data.users.getUser).toMatchObject({ username: 'user2', userType: 'NORMAL' });
    expect((await app('GetUser', { username: 'tester' })).body.data.users.getUser.userType).toBe('PRIMARY');
    expect((await app('GetUser', { username: 'nobody' })).body.data.users.getUser).toBeNull();
  });

  it('lists the one group this layout has (AllGroups): the admins, that is the main user', async () => {
    expect((await app('AllGroups')).body.data).toEqual({ groups: { allGroups: [{ name: 'sp.admins' }] } });
    const full = await gql(graphqlEndpoint, ctx, '{ groups { allGroups { name member memberof directmemberof } } }', { token: PRIMARY_TOKEN });
    expect(full.body.data.groups.allGroups).toEqual([{ name: 'sp.admins', member: ['tester'], memberof: [], directmemberof: [] }]);
  });
});

describe('creating users', () => {
  it('creates a user with a password (201) and returns it', async () => {
    const answer = await app('CreateUser', { user: { username: 'alice', password: 'correct horse', directmemberof: ['admins'], displayName: 'Alice' } });
    const result = answer.body.data.users.createUser;
    expect(result).toMatchObject({ success: true, code: 201, user: { username: 'alice', userType: 'NORMAL', sshKeys: [], displayName: 'Alice', directmemberof: [] } });
    // The group asked for is not one this server gives: the message says so instead of a plain "done".
    expect(result.message).toMatch(/^User created; not applied: admins/);
    expect(verify('correct horse', storedUser('alice')?.hashedPassword)).toBe(true);
    // The display name is the API's own state: userdata.json (NixOS) stays as it was.
    expect(Object.keys(storedUser('alice') ?? {}).sort()).toEqual(['hashedPassword', 'username']);
  });

  it('creates a user without a password: a $6$ hash of a secret nobody knows, and says so', async () => {
    const answer = await app('CreateUser', { user: { username: 'bob' } });
    const result = answer.body.data.users.createUser;
    expect(result).toMatchObject({ success: true, code: 201, user: { username: 'bob' } });
    expect(result.message).toMatch(/without a password/);
    const hash = storedUser('bob')?.hashedPassword;
    expect(hash).toMatch(/^\$6\$[^$]{1,16}\$[./0-9A-Za-z]{86}$/);
    for (const guess of ['', 'bob', 'password', 'null']) expect(verify(guess, hash)).toBe(false);
    // updateUser with a password then sets one.
    const updated = await app('UpdateUser', { user: { username: 'bob', password: 'now-known' } });
    expect(updated.body.data.users.updateUser).toMatchObject({ success: true, code: 200, message: 'User updated', user: { username: 'bob' } });
    expect(verify('now-known', storedUser('bob')?.hashedPassword)).toBe(true);
  });

  it('answers upstream\'s codes: 409 for an existing or forbidden name, 400 for an invalid one, changing nothing', async () => {
    const before = temp.userdataBytes();
    const codes = [];
    for (const username of ['user1', 'tester', 'root', 'Not Valid', '']) {
      const result = (await app('CreateUser', { user: { username, password: 'pw' } })).body.data.users.createUser;
      expect(result.success).toBe(false);
      expect(result.user).toBeNull();
      codes.push(result.code);
    }
    expect(codes).toEqual([409, 409, 409, 400, 400]);
    expect(temp.userdataBytes()).toBe(before);
  });
});

describe('display names', () => {
  it('keeps the display name the app sends (UpdateUser), answers it back, and clears it when none is sent', async () => {
    const listedName = async () => (await app('AllUsers')).body.data.users.allUsers.find((user: { username: string }) => user.username === 'user2').displayName;
    // The list is kept between requests: a name saved later must still show in it.
    expect(await listedName()).toBeNull();
    const updated = (await app('UpdateUser', { user: { username: 'user2', displayName: 'Second User', directmemberof: [] } })).body.data.users.updateUser;
    expect(updated).toMatchObject({ success: true, code: 200, message: 'User updated', user: { username: 'user2', displayName: 'Second User' } });
    expect((await app('GetUser', { username: 'user2' })).body.data.users.getUser.displayName).toBe('Second User');
    const listed = (await app('AllUsers')).body.data.users.allUsers.find((user: { username: string }) => user.username === 'user2');
    expect(listed.displayName).toBe('Second User');
    expect(fs.existsSync(temp.paths.userProfiles)).toBe(true);
    await app('UpdateUser', { user: { username: 'user2', directmemberof: [] } });
    expect((await app('GetUser', { username: 'user2' })).body.data.users.getUser.displayName).toBeNull();
    expect(await listedName()).toBeNull();
  });

  it('refuses a display name with a control character or over 255 characters (400), changing nothing', async () => {
    for (const displayName of ['a\nb', 'x'.repeat(256)]) {
      expect((await app('UpdateUser', { user: { username: 'user2', displayName } })).body.data.users.updateUser).toMatchObject({ success: false, code: 400, user: null });
      expect((await app('CreateUser', { user: { username: 'eve', displayName } })).body.data.users.createUser).toMatchObject({ success: false, code: 400 });
    }
    expect(storedUser('eve')).toBeUndefined();
    expect(fs.existsSync(temp.paths.userProfiles)).toBe(false);
  });

  it('gives a re-created login no display name of its former user', async () => {
    await app('CreateUser', { user: { username: 'frank', displayName: 'Frank' } });
    await app('DeleteUser', { username: 'frank' });
    const again = (await app('CreateUser', { user: { username: 'frank' } })).body.data.users.createUser;
    expect(again.user.displayName).toBeNull();
  });

  it('says nothing of groups when the app sends what the user has', async () => {
    expect((await app('UpdateUser', { user: { username: 'tester', directmemberof: ['sp.admins'] } })).body.data.users.updateUser.message).toBe('User updated');
    expect((await app('UpdateUser', { user: { username: 'user1', directmemberof: ['sp.full_users'] } })).body.data.users.updateUser.message).toMatch(/not applied: sp\.full_users/);
  });
});

describe('changing and deleting users', () => {
  it('answers 404 for updating an unknown user, with or without a password', async () => {
    const before = temp.userdataBytes();
    expect((await app('UpdateUser', { user: { username: 'nobody', password: 'x' } })).body.data.users.updateUser).toMatchObject({ success: false, code: 404, user: null });
    expect((await app('UpdateUser', { user: { username: 'nobody' } })).body.data.users.updateUser).toMatchObject({ success: false, code: 404 });
    expect(temp.userdataBytes()).toBe(before);
  });

  it('deletes a user (200), not the main user (400), not an unknown one (404)', async () => {
    expect((await app('DeleteUser', { username: 'tester' })).body.data.users.deleteUser).toMatchObject({ success: false, code: 400 });
    expect((await app('DeleteUser', { username: 'nobody' })).body.data.users.deleteUser).toMatchObject({ success: false, code: 404 });
    expect((await app('DeleteUser', { username: 'user3' })).body.data.users.deleteUser).toEqual({ success: true, code: 200, message: 'User deleted' });
    expect(storedUser('user3')).toBeUndefined();
  });

  it('refuses to update or delete root as a protected user (400), not as an unknown one, changing nothing', async () => {
    const before = temp.userdataBytes();
    for (const user of [{ username: 'root', password: 'new password' }, { username: 'root' }]) {
      const updated = (await app('UpdateUser', { user })).body.data.users.updateUser;
      expect(updated).toMatchObject({ success: false, code: 400, user: null });
      expect(updated.message).toMatch(/protected/);
    }
    const deleted = (await app('DeleteUser', { username: 'root' })).body.data.users.deleteUser;
    expect(deleted).toMatchObject({ success: false, code: 400 });
    expect(deleted.message).toMatch(/protected/);
    expect(temp.userdataBytes()).toBe(before);
  });

  it('takes the deprecated flat createUser too', async () => {
    const answer = await gql(graphqlEndpoint, ctx, 'mutation { createUser(user: {username: "carol", password: "pw"}) { success code } }', { token: PRIMARY_TOKEN });
    expect(answer.body.data.createUser).toEqual({ success: true, code: 201 });
    expect(storedUser('carol')).toBeDefined();
  });
});

describe('SSH keys', () => {
  it('adds a key (201), refuses it twice (409), removes it (200), then 404', async () => {
    const sshInput = { username: 'user1', sshKey: ED25519_KEY };
    const added = (await app('AddSshKey', { sshInput })).body.data.users.addSshKey;
    expect(added).toMatchObject({ success: true, code: 201, message: 'New SSH key successfully written' });
    expect(added.user.sshKeys).toContain(ED25519_KEY);
    expect(storedUser('user1')?.sshKeys).toContain(ED25519_KEY);
    expect((await app('AddSshKey', { sshInput })).body.data.users.addSshKey).toMatchObject({ success: false, code: 409, user: null });
    const removed = (await app('RemoveSshKey', { sshInput })).body.data.users.removeSshKey;
    expect(removed).toMatchObject({ success: true, code: 200, message: 'SSH key successfully removed' });
    expect(storedUser('user1')?.sshKeys).not.toContain(ED25519_KEY);
    expect((await app('RemoveSshKey', { sshInput })).body.data.users.removeSshKey).toMatchObject({ success: false, code: 404 });
  });

  it('manages root\'s keys in ssh.rootKeys under the username root, as the app\'s root user page sends them', async () => {
    const sshInput = { username: 'root', sshKey: ED25519_KEY };
    const added = (await app('AddSshKey', { sshInput })).body.data.users.addSshKey;
    expect(added).toMatchObject({ success: true, code: 201, user: { username: 'root', userType: 'ROOT' } });
    expect(added.user.sshKeys).toContain(ED25519_KEY);
    expect(temp.readUserdata().ssh.rootKeys).toContain(ED25519_KEY);
    expect((await app('AddSshKey', { sshInput })).body.data.users.addSshKey).toMatchObject({ success: false, code: 409 });
    expect((await app('RemoveSshKey', { sshInput })).body.data.users.removeSshKey).toMatchObject({ success: true, code: 200 });
    expect(temp.readUserdata().ssh.rootKeys ?? []).not.toContain(ED25519_KEY);
  });

  it('manages the main user\'s keys in the top-level sshKeys', async () => {
    const sshInput = { username: 'tester', sshKey: ED25519_KEY };
    const added = (await app('AddSshKey', { sshInput })).body.data.users.addSshKey;
    expect(added).toMatchObject({ success: true, code: 201, user: { username: 'tester', userType: 'PRIMARY' } });
    expect(temp.readUserdata().sshKeys).toContain(ED25519_KEY);
    expect((await app('RemoveSshKey', { sshInput })).body.data.users.removeSshKey).toMatchObject({ success: true, code: 200 });
    expect(temp.readUserdata().sshKeys).not.toContain(ED25519_KEY);
  });

  it('refuses an invalid key (400) and an unknown user (404), changing nothing', async () => {
    const before = temp.userdataBytes();
    expect((await app('AddSshKey', { sshInput: { username: 'user1', sshKey: 'not a key' } })).body.data.users.addSshKey).toMatchObject({ success: false, code: 400 });
    expect((await app('AddSshKey', { sshInput: { username: 'nobody', sshKey: ED25519_KEY } })).body.data.users.addSshKey).toMatchObject({ success: false, code: 404 });
    expect(temp.userdataBytes()).toBe(before);
  });
});

describe('what this server does not have', () => {
  it('answers mail passwords as not supported, changing nothing', async () => {
    const before = temp.userdataBytes();
    const mail = (await app('DeleteEmailPassword', { username: 'user1', uuid: 'x' })).body.data.emailPasswordMetadataMutations.deleteEmailPassword;
    expect(mail).toMatchObject({ success: false });
    expect(mail.message).toMatch(/not supported/);
    expect(temp.userdataBytes()).toBe(before);
  });
});
