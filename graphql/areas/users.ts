// GraphQL area "users": the users of userdata.json and their SSH keys, over the user and key operations REST runs too.
import { randomBytes } from 'node:crypto';
import { keyHolderOf, recordKeyHolder, ROOT_USERNAME, type KeyHolder } from '../../domain/ssh-key-holders.js';
import { groupsOfUser } from '../../domain/user-groups.js';
import { findUserRecord, isMainUser, rootIsProtected, userNotFound, userRecords } from '../../domain/user-records.js';
import type { Ctx } from '../../kit/context.js';
import { derived } from '../../store/derived.js';
import type { Userdata } from '../../store/userdata.js';
import { addUserKey } from '../../functions/ssh/add-key.js';
import { addRootKey } from '../../functions/ssh/add-root-key.js';
import { deleteKey } from '../../functions/ssh/delete-key.js';
import { changePassword } from '../../functions/users/change-password.js';
import { createUser } from '../../functions/users/create-user.js';
import { deleteUser } from '../../functions/users/delete-user.js';
import type { FieldResolver, GraphqlArea, ResolverContext } from '../area.js';
import { failureOf, mutationOf, type MutationReturn } from '../mutation-return.js';
import { generatePasswordResetLink } from './reset-link.js';
import { allGroups, checkedDisplayName, saveDisplayName, withGroupsNote, withProfiles, withProfilesOfList } from './user-profile.js';

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
  return withProfilesOfList(ctx, derived(ctx.store.userdata.read(), 'graphql allUsers', listUsers));
}

/** The user as stored now, with their display name; null for anyone else. */
function readUser(ctx: Ctx, username: string) {
  const user = findUser(ctx.store.userdata.read(), username);
  return user === null ? null : (withProfiles(ctx, [user])[0] ?? null);
}

const getUser: FieldResolver = (_parent, { username }: { username: string }, { ctx }) => readUser(ctx, username);

type UserReturn = MutationReturn & { user: ApiUser | null };

/** Runs a user operation: its return, and the user as stored afterwards (on success), display name included. */
async function userReturn(ctx: Ctx, username: string, run: () => Promise<unknown>, okMessage: string, okCode = 200): Promise<UserReturn> {
  const result = await mutationOf(run, okMessage, okCode);
  return { ...result, user: result.success ? readUser(ctx, username) : null };
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

const createUserMutation: FieldResolver = async (_parent, { user }: UserInput, { ctx }) => {
  const withoutPassword = user.password === null || user.password === undefined;
  const password = withoutPassword ? randomBytes(32).toString('base64url') : (user.password as string);
  const message = withGroupsNote(withoutPassword ? NO_PASSWORD_MESSAGE : 'User created', user.directmemberof, false);
  // Saved also when none is given: a name left by an earlier user of this login is not theirs.
  const create = async () => {
    // Checked first: a refused name leaves nothing made.
    const displayName = checkedDisplayName(user.displayName);
    await createUser(ctx, { username: user.username, password });
    await saveDisplayName(ctx, user.username, displayName);
  };
  return userReturn(ctx, user.username, create, message, 201);
};

/**
 * The app sends the whole user from its edit form: the display name as it now is (none when
 * cleared), so a missing one clears it. A password, when given, is changed too.
 */
const updateUserMutation: FieldResolver = async (_parent, { user }: UserInput, { ctx }) => {
  const { username, password } = user;
  if (username === ROOT_USERNAME) return { ...failureOf(rootIsProtected()), user: null };
  const message = withGroupsNote('User updated', user.directmemberof, isMainUser(ctx.store.userdata.read(), username));
  const update = async () => {
    const displayName = checkedDisplayName(user.displayName);
    if (password === null || password === undefined) {
      if (findUser(ctx.store.userdata.read(), username) === null) throw userNotFound();
    } else {
      await changePassword(ctx, { username, password });
    }
    await saveDisplayName(ctx, username, displayName);
  };
  return userReturn(ctx, username, update, message);
};

const deleteUserMutation: FieldResolver = (_parent, { username }: { username: string }, { ctx }) =>
  username === ROOT_USERNAME ? failureOf(rootIsProtected()) : mutationOf(() => deleteUser(ctx, { username }), 'User deleted');

interface SshInput {
  sshInput: { username: string; sshKey: string };
}

/** root's keys are ssh.rootKeys (the app's root user page adds them here), the main user's the top-level sshKeys. */
const addSshKey: FieldResolver = (_parent, { sshInput }: SshInput, { ctx }) => {
  const { username, sshKey: public_key } = sshInput;
  const add = username === ROOT_USERNAME ? () => addRootKey(ctx, { public_key }) : () => addUserKey(ctx, { username, public_key });
  return userReturn(ctx, username, add, 'New SSH key successfully written', 201);
};

const removeSshKey: FieldResolver = (_parent, { sshInput }: SshInput, { ctx }) => {
  const { username, sshKey: public_key } = sshInput;
  return userReturn(ctx, username, () => deleteKey(ctx, { username, public_key }), 'SSH key successfully removed');
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
