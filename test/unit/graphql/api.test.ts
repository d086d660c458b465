// Unit tests of the GraphQL "api" area through the /graphql function unit: version, gate, devices, keys, tokens.
import { entropyToMnemonic } from 'bip39';
import { beforeEach, describe, expect, it } from 'vitest';
import { graphqlEndpoint } from './graphql-call.js';
import type { Ctx } from '../../../kit/context.js';
import fs from 'node:fs';
import { FailureLimiter } from '../../../runtime/rate-limit.js';
import { makeCtx, PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { operationText } from '../../graphql/operation-documents.js';
import { gql, graphqlApp, type GqlOptions } from './graphql-call.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();
let ctx: Ctx;
let limiter: FailureLimiter;

beforeEach(() => {
  ctx = makeCtx(temp, { caller: null });
  limiter = new FailureLimiter();
  graphqlApp(ctx, { limiter });
});

/** The audit log's lines, oldest first. */
function auditLines(): Array<Record<string, unknown>> {
  if (!fs.existsSync(temp.paths.auditLog)) return [];
  return fs.readFileSync(temp.paths.auditLog, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

/** Runs one of the app's operations as our document has it (test/graphql/operations/api.graphql). */
function app(name: string, options: GqlOptions = {}) {
  return gql(graphqlEndpoint, ctx, operationText('api.graphql', name), { operationName: name, ...options });
}

const asPrimary = (variables?: Record<string, unknown>): GqlOptions => ({ token: PRIMARY_TOKEN, variables });

describe('api { version }', () => {
  it('answers the GraphQL dialect level 3.8.3 without a token, by POST and by GET', async () => {
    const posted = await app('GetApiVersion');
    expect(posted.status).toBe(200);
    expect(posted.body).toEqual({ data: { api: { version: '3.8.3' } } });
    const got = await gql(graphqlEndpoint, ctx, operationText('api.graphql', 'GetApiVersion'), { method: 'GET' });
    expect(got.body.data.api.version).toBe('3.8.3');
  });

  it('ignores Accept-Language', async () => {
    const answer = await app('GetApiVersion', { headers: { 'accept-language': 'de-DE,de;q=0.9,xx-invalid;;' } });
    expect(answer.body.data.api.version).toBe('3.8.3');
  });
});

describe('the token gate', () => {
  it('refuses anything else without a token: 401, a GraphQL error and the challenge', async () => {
    const answer = await app('GetApiTokens');
    expect(answer.status).toBe(401);
    expect(answer.body.errors[0].message).toBe('Missing Authorization header');
    expect(answer.body.data).toBeUndefined();
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm="selfprivacy"/);
  });

  it('refuses a wrong token as invalid_token, and every protected mutation without a token, changing nothing', async () => {
    const wrong = await app('GetApiJobs', { token: 'not-a-token' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const before = temp.tokensBytes();
    for (const name of ['GetNewRecoveryApiKey', 'RefreshDeviceApiToken', 'GetNewDeviceApiKey', 'InvalidateNewDeviceApiKey']) {
      expect((await app(name)).status, name).toBe(401);
    }
    expect((await app('DeleteDeviceApiToken', { variables: { device: 'Pixel_6' } })).status).toBe(401);
    expect(temp.tokensBytes()).toBe(before);
  });

  it('does not let a fragment, an alias or an inline fragment smuggle a field past the gate', async () => {
    const viaFragment = await gql(graphqlEndpoint, ctx, '{ api { ...Both } } fragment Both on Api { version devices { name } }');
    expect(viaFragment.status).toBe(401);
    const viaAlias = await gql(graphqlEndpoint, ctx, '{ version: api { devices { name } } }');
    expect(viaAlias.status).toBe(401);
    const viaInline = await gql(graphqlEndpoint, ctx, '{ api { version ... on Api { recoveryKey { exists } } } }');
    expect(viaInline.status).toBe(401);
    const secondOperation = await gql(graphqlEndpoint, ctx, 'query A { api { version } } query B { jobs { getJobs { uid } } }', { operationName: 'B' });
    expect(secondOperation.status).toBe(401);
  });

  it('answers a bad query as a GraphQL error, never a 5xx', async () => {
    for (const query of ['{ nope }', '{', 'mutation { api { version } }', '']) {
      const answer = await gql(graphqlEndpoint, ctx, query, { token: PRIMARY_TOKEN });
      expect([200, 400]).toContain(answer.status);
      expect(answer.body.errors.length).toBeGreaterThan(0);
    }
  });
});

describe('devices and tokens', () => {
  it('lists the devices, marking the caller (GetApiTokens)', async () => {
    const answer = await app('GetApiTokens', asPrimary());
    expect(answer.body.data.api.devices).toEqual([
      { name: 'primary_token', creationDate: '2022-01-14T08:31:10.789314Z', isCaller: true },
      { name: 'Pixel_6', creationDate: '2022-05-31T10:02:45.123456Z', isCaller: false },
    ]);
  });

  it('refreshes the caller\'s token in tokens.json (RefreshDeviceApiToken)', async () => {
    const answer = await app('RefreshDeviceApiToken', asPrimary());
    const result = answer.body.data.api.refreshDeviceApiToken;
    expect(result).toMatchObject({ success: true, code: 200, message: 'Token refreshed' });
    const stored = temp.readTokens().tokens.find((record: { name: string }) => record.name === 'primary_token');
    expect(stored.token).toBe(result.token);
    expect(result.token).not.toBe(PRIMARY_TOKEN);
  });

  it('deletes another device, refuses the caller\'s own (400) and an unknown one (404) (DeleteDeviceApiToken)', async () => {
    const own = await app('DeleteDeviceApiToken', asPrimary({ device: 'primary_token' }));
    expect(own.body.data.api.deleteDeviceApiToken).toMatchObject({ success: false, code: 400 });
    const unknown = await app('DeleteDeviceApiToken', asPrimary({ device: 'no-such-device' }));
    expect(unknown.body.data.api.deleteDeviceApiToken).toMatchObject({ success: false, code: 404 });
    expect(temp.readTokens().tokens).toHaveLength(2);
    const other = await app('DeleteDeviceApiToken', asPrimary({ device: 'Pixel_6' }));
    expect(other.body.data.api.deleteDeviceApiToken).toEqual({ success: true, code: 200, message: 'Token deleted' });
    expect(temp.readTokens().tokens.map((record: { name: string }) => record.name)).toEqual(['primary_token']);
    // A mutation leaves an audit line naming the operation and its outcome; a query does not.
    expect(auditLines().at(-1)).toMatchObject({ tokenName: 'primary_token', operation: 'DeleteDeviceApiToken', fields: [{ field: 'api.deleteDeviceApiToken', code: 200 }] });
    const lines = auditLines().length;
    await app('GetApiTokens', asPrimary());
    expect(auditLines()).toHaveLength(lines);
  });
});

describe('the recovery key', () => {
  it('makes one with limits, reports it, and trades it for a token without a bearer token', async () => {
    const expirationDate = new Date(Date.now() + 3600_000).toISOString();
    const made = await app('GetNewRecoveryApiKey', asPrimary({ limits: { uses: 2, expirationDate } }));
    const key = made.body.data.api.getNewRecoveryApiKey;
    expect(key).toMatchObject({ success: true, code: 200, message: 'Recovery key generated' });
    expect(key.key.split(' ')).toHaveLength(18);
    expect(temp.readTokens().recovery_token.uses_left).toBe(2);

    const status = await app('RecoveryKey', asPrimary());
    expect(status.body.data.api.recoveryKey).toMatchObject({ exists: true, valid: true, usesLeft: 2 });
    expect(Date.parse(status.body.data.api.recoveryKey.expirationDate)).toBe(Date.parse(expirationDate));

    const used = await app('UseRecoveryApiKey', { variables: { input: { key: key.key, deviceName: 'new_phone' } } });
    const login = used.body.data.api.useRecoveryApiKey;
    expect(login).toMatchObject({ success: true, code: 200, message: 'Recovery key used' });
    expect(temp.readTokens().tokens).toContainEqual(expect.objectContaining({ name: 'new_phone', token: login.token }));
    expect(temp.readTokens().recovery_token.uses_left).toBe(1);
    // Charged as a guess before it ran, and given back because it was right.
    expect(limiter.trackedClients).toBe(0);
  });

  it('refuses an expiration in the past (400) and changes nothing', async () => {
    const before = temp.tokensBytes();
    const answer = await app('GetNewRecoveryApiKey', asPrimary({ limits: { expirationDate: '2020-01-01T00:00:00Z' } }));
    expect(answer.body.data.api.getNewRecoveryApiKey).toMatchObject({ success: false, code: 400, key: null });
    expect(temp.tokensBytes()).toBe(before);
  });

  it('answers a wrong mnemonic with 404, counted as a failed login', async () => {
    const wrong = entropyToMnemonic('00'.repeat(24));
    const answer = await app('UseRecoveryApiKey', { variables: { input: { key: wrong, deviceName: 'thief' } } });
    expect(answer.status).toBe(200);
    expect(answer.body.data.api.useRecoveryApiKey).toMatchObject({ success: false, code: 404, token: null });
    expect(limiter.retryAfterSeconds('127.0.0.1')).toBe(0);
    expect(limiter.trackedClients).toBe(1);
    expect(temp.readTokens().tokens).toHaveLength(2);
  });
});

describe('the new-device key', () => {
  it('makes a key, and a new device trades it for a token once (GetNewDeviceApiKey, AuthorizeWithNewDeviceApiKey)', async () => {
    const made = await app('GetNewDeviceApiKey', asPrimary());
    const key = made.body.data.api.getNewDeviceApiKey;
    expect(key).toMatchObject({ success: true, code: 200, message: 'Device api key generated' });
    expect(key.key.split(' ')).toHaveLength(12);
    const input = { key: key.key, deviceName: 'tablet' };
    const authorized = await app('AuthorizeWithNewDeviceApiKey', { variables: { input } });
    const token = authorized.body.data.api.authorizeWithNewDeviceApiKey;
    expect(token).toMatchObject({ success: true, code: 200, message: 'Token used' });
    expect(temp.readTokens().tokens).toContainEqual(expect.objectContaining({ name: 'tablet', token: token.token }));
    expect(temp.readTokens().new_device).toBeUndefined();
    const again = await app('AuthorizeWithNewDeviceApiKey', { variables: { input } });
    expect(again.body.data.api.authorizeWithNewDeviceApiKey).toMatchObject({ success: false, code: 404, token: null });
    expect(limiter.trackedClients).toBe(1);
  });

  it('invalidates the pending key (InvalidateNewDeviceApiKey)', async () => {
    expect(temp.readTokens().new_device).toBeDefined();
    const answer = await app('InvalidateNewDeviceApiKey', asPrimary());
    expect(answer.body.data.api.invalidateNewDeviceApiKey).toEqual({ success: true, code: 200, message: 'New device key deleted' });
    expect(temp.readTokens().new_device).toBeUndefined();
  });

  it('takes the deprecated flat login mutation too, without a token', async () => {
    const made = await app('GetNewDeviceApiKey', asPrimary());
    const query = 'mutation ($input: UseNewDeviceKeyInput!) { authorizeWithNewDeviceApiKey(input: $input) { success code token } }';
    const answer = await gql(graphqlEndpoint, ctx, query, { variables: { input: { key: made.body.data.api.getNewDeviceApiKey.key, deviceName: 'old_app' } } });
    expect(answer.body.data.authorizeWithNewDeviceApiKey).toMatchObject({ success: true, code: 200 });
    expect(temp.readTokens().tokens.map((record: { name: string }) => record.name)).toContain('old_app');
  });
});
