// GraphQL area "users": the users of userdata.json and their SSH keys, over the REST user and key functions.
import { randomBytes } from 'node:crypto';
import { keyHolderOf, recordKeyHolder, ROOT_USERNAME, type KeyHolder } from '../../domain/ssh-key-holders.js';
import { groupsOfUser } from '../../domain/user-groups.js';
import { findUserRecord, isMainUser, userRecords } from '../../domain/user-records.js';
import type { Ctx } from '../../kit/context.js';
import { derived } from '../../store/derived.js';
import type { Userdata } from '../../store/userdata.js';
import addUserKey from '../../functions/ssh/add-key.js';
import deleteKey from '../../functions/ssh/delete-key.js';
import changePassword from '../../functions/users/change-password.js';
import createUser from '../../functions/users/create-user.js';
import deleteUser from '../../functions/users/delete-user.js';
import type { FieldResolver, GraphqlArea, ResolverContext } from '../area.js';
import { callFunction, mutationReturn, type FunctionOutcome } from '../call-function.js';
import { failureOf } from '../mutation-return.js';
import { generatePasswordResetLink } from './reset-link.js';
import { allGroups, checkedDisplayName, saveDisplayName, withGroupsNote, withProfiles } from './user-profile.js';

const typeDefs = /* GraphQL */ `
  enum UserType {
    NORMAL
    PRIMARY
    ROOT
  }

  type EmailPasswordMetadata {
    uuid: String!
    displayName: String!
    createdAt: DateTime
    expiresAt: DateTime
    lastUsed: DateTime
  }

  type User {
    username: String!
    userType: UserType!
    sshKeys: [String!]
    directmemberof: [String!]
    memberof: [String!]
    displayName: String
    email: String
    emailPasswordMetadata: [EmailPasswordMetadata!]
  }

  type Users {
    allUsers: [User!]!
    getUser(username: String!): User
  }

  type Group {
    name: String!
    groupClass: [String!]
    member: [String!]
    memberof: [String!]
    directmemberof: [String!]
    spn: String
    description: String
  }

  type Groups {
    allGroups: [Group!]!
  }

  input UserMutationInput {
    username: String!
    directmemberof: [String!] = []
    password: String = null
    displayName: String = null
  }

  input SshMutationInput {
    username: String!
    sshKey: String!
  }

  type UserMutationReturn implements MutationReturnInterface {
    success: Boolean!
    message: String!
    code: Int!
    user: User
  }

  type PasswordResetLinkReturn implements MutationReturnInterface {
    success: Boolean!
    message: String!
    code: Int!
    passwordResetLink: String
  }

  type UsersMutations {
    createUser(user: UserMutationInput!): UserMutationReturn!
    deleteUser(username: String!): GenericMutationReturn!
    updateUser(user: UserMutationInput!): UserMutationReturn!
    addSshKey(sshInput: SshMutationInput!): UserMutationReturn!
    removeSshKey(sshInput: SshMutationInput!): UserMutationReturn!
    generatePasswordResetLink(username: String!): PasswordResetLinkReturn!
  }

  type EmailPasswordsMetadataMutations {
    deleteEmailPassword(username: String!, uuid: String!): GenericMutationReturn!
  }

  extend type Query {
    users: Users!
    groups: Groups!
  }

  extend type Mutation {
    users: UsersMutations!
    emailPasswordMetadataMutations: EmailPasswordsMetadataMutations!
    createUser(user: UserMutationInput!): UserMutationReturn! @deprecated(reason: "Use users.createUser")
    deleteUser(username: String!): GenericMutationReturn! @deprecated(reason: "Use users.deleteUser")
    updateUser(user: UserMutationInput!): UserMutationReturn! @deprecated(reason: "Use users.updateUser")
    addSshKey(sshInput: SshMutationInput!): UserMutationReturn! @deprecated(reason: "Use users.addSshKey")
    removeSshKey(sshInput: SshMutationInput!): UserMutationReturn! @deprecated(reason: "Use users.removeSshKey")
  }
`;

type UserType = 'NORMAL' | 'PRIMARY' | 'ROOT';

/** A user as userdata.json gives it; the display name and mailbox are added on reading (user-profile.ts). */
interface ApiUser {
  username: string;
  userType: UserType;
  sshKeys: string[];
  directmemberof: string[];
  memberof: string[];
  emailPasswordMetadata: [];
}

function apiUser(username: string, userType: UserType, holder: KeyHolder): ApiUser {
  const groups = groupsOfUser(userType === 'PRIMARY');
  return { username, userType, sshKeys: holder.keys(), directmemberof: groups, memberof: groups, emailPasswordMetadata: [] };
}

/** root, the main user or a user of users[]; null for anyone else. */
function findUser(data: Userdata, username: string): ApiUser | null {
  if (username === ROOT_USERNAME) return apiUser(username, 'ROOT', keyHolderOf(data, username));
  if (isMainUser(data, username)) return apiUser(username, 'PRIMARY', keyHolderOf(data, username));
  const record = findUserRecord(data, username);
  return record === undefined ? null : apiUser(username, 'NORMAL', recordKeyHolder(record));
}

/** The main user first, then users[]. */
function listUsers(data: Userdata): ApiUser[] {
  const users = userRecords(data).map((record) => apiUser(record.username, 'NORMAL', recordKeyHolder(record)));
  return typeof data.username === 'string' ? [apiUser(data.username, 'PRIMARY', keyHolderOf(data, data.username)), ...users] : users;
}

/**
 * Made once per version of userdata.json (store/derived.ts): the app asks for every user on each
 * visit to its users screen, and copying every user and key list was a tenth of such a request.
 */
function allUsers(_parent: unknown, _args: unknown, { ctx }: ResolverContext) {
  return withProfiles(ctx, derived(ctx.store.userdata.read(), 'graphql allUsers', listUsers));
}

/** The user as stored now, with their display name; null for anyone else. */
function readUser(ctx: Ctx, username: string) {
  const user = findUser(ctx.store.userdata.read(), username);
  return user === null ? null : (withProfiles(ctx, [user])[0] ?? null);
}

const getUser: FieldResolver = (_parent, { username }: { username: string }, { ctx }) => readUser(ctx, username);

/** A user mutation's return: the outcome, and the user as stored afterwards (on success). */
function userReturn(rctx: ResolverContext, outcome: FunctionOutcome, okMessage: string, username: string) {
  const result = mutationReturn(outcome, okMessage);
  return { ...result, user: result.success ? readUser(rctx.ctx, username) : null };
}

interface UserInput {
  user: { username: string; password?: string | null; displayName?: string | null; directmemberof?: string[] | null };
}

/**
 * The app creates users without a password and then hands out a reset link (generatePasswordResetLink).
 * The account is made with the hash of a random secret nobody ever sees, so it exists but no one
 * can log in with a password until the link's page sets one.
 */
const NO_PASSWORD_MESSAGE = 'User created without a password: send them a password reset link so they can set one';

const createUserMutation: FieldResolver = async (_parent, { user }: UserInput, rctx) => {
  let displayName: string | null;
  try {
    displayName = checkedDisplayName(user.displayName);
  } catch (error) {
    return { ...failureOf(error), user: null };
  }
  const withoutPassword = user.password === null || user.password === undefined;
  const password = withoutPassword ? randomBytes(32).toString('base64url') : user.password;
  const outcome = await callFunction(createUser, rctx, { method: 'POST', path: '/users', body: { username: user.username, password } });
  // Also when none is given: a name left by an earlier user of this login is not theirs.
  if (outcome.status === 201) await saveDisplayName(rctx.ctx, user.username, displayName);
  const message = withGroupsNote(withoutPassword ? NO_PASSWORD_MESSAGE : 'User created', user.directmemberof, false);
  return userReturn(rctx, outcome, message, user.username);
};

/**
 * The app sends the whole user from its edit form: the display name as it now is (none when
 * cleared), so a missing one clears it. A password, when given, is changed too.
 */
const updateUserMutation: FieldResolver = async (_parent, { user }: UserInput, rctx) => {
  const { username, password } = user;
  let displayName: string | null;
  try {
    displayName = checkedDisplayName(user.displayName);
  } catch (error) {
    return { ...failureOf(error), user: null };
  }
  const isMain = isMainUser(rctx.ctx.store.userdata.read(), username);
  const message = withGroupsNote('User updated', user.directmemberof, isMain);
  let outcome: FunctionOutcome;
  if (password === null || password === undefined) {
    const exists = findUser(rctx.ctx.store.userdata.read(), username) !== null && username !== ROOT_USERNAME;
    outcome = exists ? { status: 200, body: undefined } : { status: 404, body: { error: 'User not found' } };
  } else {
    outcome = await callFunction(changePassword, rctx, { method: 'PUT', path: `/users/${encodeURIComponent(username)}`, params: { username }, body: { password } });
  }
  if (outcome.status === 200) await saveDisplayName(rctx.ctx, username, displayName);
  return userReturn(rctx, outcome, message, username);
};

const deleteUserMutation: FieldResolver = async (_parent, { username }: { username: string }, rctx) =>
  mutationReturn(await callFunction(deleteUser, rctx, { method: 'DELETE', path: `/users/${encodeURIComponent(username)}`, params: { username } }), 'User deleted');

interface SshInput {
  sshInput: { username: string; sshKey: string };
}

const addSshKey: FieldResolver = async (_parent, { sshInput }: SshInput, rctx) => {
  const { username, sshKey } = sshInput;
  const outcome = await callFunction(addUserKey, rctx, { method: 'POST', path: `/services/ssh/keys/${encodeURIComponent(username)}`, params: { username }, body: { public_key: sshKey } });
  return userReturn(rctx, outcome, 'New SSH key successfully written', username);
};

const removeSshKey: FieldResolver = async (_parent, { sshInput }: SshInput, rctx) => {
  const { username, sshKey } = sshInput;
  const outcome = await callFunction(deleteKey, rctx, { method: 'DELETE', path: `/services/ssh/keys/${encodeURIComponent(username)}`, params: { username }, body: { public_key: sshKey } });
  return userReturn(rctx, outcome, 'SSH key successfully removed', username);
};

/** Per-application mail passwords do not exist in userdata.json; there is nothing to delete. */
const deleteEmailPassword = () => ({ success: false, code: 400, message: 'Mail passwords are not supported by this server' });

const mutations = {
  createUser: createUserMutation,
  deleteUser: deleteUserMutation,
  updateUser: updateUserMutation,
  addSshKey,
  removeSshKey,
};

export const usersArea: GraphqlArea = {
  typeDefs,
  resolvers: {
    Query: { users: () => ({}), groups: () => ({}) },
    Users: { allUsers, getUser },
    Groups: { allGroups: (_parent: unknown, _args: unknown, { ctx }: ResolverContext) => allGroups(ctx) },
    Mutation: { users: () => ({}), emailPasswordMetadataMutations: () => ({}), ...mutations },
    UsersMutations: { ...mutations, generatePasswordResetLink },
    EmailPasswordsMetadataMutations: { deleteEmailPassword },
  },
};
