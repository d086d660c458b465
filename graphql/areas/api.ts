// GraphQL area "api": the dialect's version, the devices holding tokens, and the token and key mutations.
import { authorizeNewDevice } from '../../functions/auth/authorize-new-device.js';
import { createNewDeviceToken } from '../../functions/auth/create-new-device-token.js';
import { createRecoveryToken } from '../../functions/auth/create-recovery-token.js';
import { deleteNewDeviceToken } from '../../functions/auth/delete-new-device-token.js';
import { deleteToken } from '../../functions/auth/delete-token.js';
import { listTokens } from '../../functions/auth/list-tokens.js';
import { recoveryTokenStatus } from '../../functions/auth/recovery-token-status.js';
import { refreshToken } from '../../functions/auth/refresh-token.js';
import { useRecoveryToken } from '../../functions/auth/use-recovery-token.js';
import { formatTokenDate } from '../../domain/token-dates.js';
import type { FieldResolver, GraphqlArea, ResolverContext } from '../area.js';
import { failureOf, mutationOf, succeeded, type MutationReturn } from '../mutation-return.js';

/** The upstream API level whose GraphQL dialect /graphql speaks (REST /api/version stays 1.3.0). */
export const GRAPHQL_API_VERSION = '3.8.3';

const typeDefs = /* GraphQL */ `
  type ApiDevice {
    name: String!
    creationDate: DateTime!
    isCaller: Boolean!
  }

  type ApiRecoveryKeyStatus {
    exists: Boolean!
    valid: Boolean!
    creationDate: DateTime
    expirationDate: DateTime
    usesLeft: Int
  }

  type Api {
    version: String!
    recoveryKey: ApiRecoveryKeyStatus!
    devices: [ApiDevice!]!
  }

  type ApiKeyMutationReturn implements MutationReturnInterface {
    success: Boolean!
    message: String!
    code: Int!
    key: String
  }

  type DeviceApiTokenMutationReturn implements MutationReturnInterface {
    success: Boolean!
    message: String!
    code: Int!
    token: String
  }

  input RecoveryKeyLimitsInput {
    expirationDate: DateTime = null
    uses: Int = null
  }

  input UseRecoveryKeyInput {
    key: String!
    deviceName: String!
  }

  input UseNewDeviceKeyInput {
    key: String!
    deviceName: String!
  }

  type ApiMutations {
    getNewRecoveryApiKey(limits: RecoveryKeyLimitsInput = null): ApiKeyMutationReturn!
    useRecoveryApiKey(input: UseRecoveryKeyInput!): DeviceApiTokenMutationReturn!
    refreshDeviceApiToken: DeviceApiTokenMutationReturn!
    deleteDeviceApiToken(device: String!): GenericMutationReturn!
    getNewDeviceApiKey: ApiKeyMutationReturn!
    invalidateNewDeviceApiKey: GenericMutationReturn!
    authorizeWithNewDeviceApiKey(input: UseNewDeviceKeyInput!): DeviceApiTokenMutationReturn!
  }

  extend type Query {
    api: Api!
  }

  extend type Mutation {
    api: ApiMutations!
    getNewRecoveryApiKey(limits: RecoveryKeyLimitsInput = null): ApiKeyMutationReturn! @deprecated(reason: "Use api.getNewRecoveryApiKey")
    useRecoveryApiKey(input: UseRecoveryKeyInput!): DeviceApiTokenMutationReturn! @deprecated(reason: "Use api.useRecoveryApiKey")
    refreshDeviceApiToken: DeviceApiTokenMutationReturn! @deprecated(reason: "Use api.refreshDeviceApiToken")
    deleteDeviceApiToken(device: String!): GenericMutationReturn! @deprecated(reason: "Use api.deleteDeviceApiToken")
    getNewDeviceApiKey: ApiKeyMutationReturn! @deprecated(reason: "Use api.getNewDeviceApiKey")
    invalidateNewDeviceApiKey: GenericMutationReturn! @deprecated(reason: "Use api.invalidateNewDeviceApiKey")
    authorizeWithNewDeviceApiKey(input: UseNewDeviceKeyInput!): DeviceApiTokenMutationReturn! @deprecated(reason: "Use api.authorizeWithNewDeviceApiKey")
  }
`;

/** A stored date nobody can read any more still needs some date (creationDate is non-null). */
const UNKNOWN_DATE = '1970-01-01T00:00:00.000000Z';

function devices(_parent: unknown, _args: unknown, { ctx }: ResolverContext) {
  return listTokens(ctx).map((device) => ({ name: device.name, creationDate: device.date ?? UNKNOWN_DATE, isCaller: device.is_caller }));
}

function recoveryKey(_parent: unknown, _args: unknown, { ctx }: ResolverContext) {
  const status = recoveryTokenStatus(ctx);
  return { exists: status.exists, valid: status.valid, creationDate: status.date, expirationDate: status.expiration, usesLeft: status.uses_left };
}

type SecretReturn = MutationReturn & { key?: string | null; token?: string | null };

/** A mutation's return plus the one secret the app reads (`key` or `token`): the operation's value, on success only. */
async function withSecret(make: () => Promise<string>, okMessage: string, field: 'key' | 'token'): Promise<SecretReturn> {
  try {
    const secret = await make();
    return { ...succeeded(okMessage), [field]: secret };
  } catch (error) {
    return { ...failureOf(error), [field]: null };
  }
}

const getNewRecoveryApiKey: FieldResolver = (_parent, { limits }: { limits: { expirationDate?: Date | null; uses?: number | null } | null }, { ctx }) => {
  const expiration = limits?.expirationDate;
  const input = { expiration: expiration instanceof Date ? formatTokenDate(expiration) : null, uses: limits?.uses ?? null };
  return withSecret(() => createRecoveryToken(ctx, input), 'Recovery key generated', 'key');
};

interface LoginInput {
  input: { key: string; deviceName: string };
}

/**
 * The two logins. The transport charged each as a failed guess before it ran; one that worked is
 * given back when the request ends (runtime/request-guard.ts), as REST gives back a right guess.
 */
async function login(rctx: ResolverContext, make: () => Promise<string>, okMessage: string) {
  const settled = await withSecret(make, okMessage, 'token');
  if (settled.success) rctx.state.rightLoginGuesses += 1;
  return settled;
}

const useRecoveryApiKey: FieldResolver = (_parent, { input }: LoginInput, rctx) =>
  login(rctx, () => useRecoveryToken(rctx.ctx, { token: input.key, device: input.deviceName }), 'Recovery key used');

const authorizeWithNewDeviceApiKey: FieldResolver = (_parent, { input }: LoginInput, rctx) =>
  login(rctx, () => authorizeNewDevice(rctx.ctx, { token: input.key, device: input.deviceName }), 'Token used');

const refreshDeviceApiToken: FieldResolver = (_parent, _args, { ctx }) => withSecret(() => refreshToken(ctx), 'Token refreshed', 'token');

const deleteDeviceApiToken: FieldResolver = (_parent, { device }: { device: string }, { ctx }) =>
  mutationOf(() => deleteToken(ctx, { token_name: device }), 'Token deleted');

const getNewDeviceApiKey: FieldResolver = (_parent, _args, { ctx }) => withSecret(() => createNewDeviceToken(ctx), 'Device api key generated', 'key');

const invalidateNewDeviceApiKey: FieldResolver = (_parent, _args, { ctx }) => mutationOf(() => deleteNewDeviceToken(ctx), 'New device key deleted');

const mutations = {
  getNewRecoveryApiKey,
  useRecoveryApiKey,
  refreshDeviceApiToken,
  deleteDeviceApiToken,
  getNewDeviceApiKey,
  invalidateNewDeviceApiKey,
  authorizeWithNewDeviceApiKey,
};

export const apiArea: GraphqlArea = {
  typeDefs,
  resolvers: {
    Query: { api: () => ({}) },
    Api: { version: () => GRAPHQL_API_VERSION, devices, recoveryKey },
    Mutation: { api: () => ({}), ...mutations },
    ApiMutations: mutations,
  },
};
