import { entropyToMnemonic } from 'bip39';
import { describe, expect, it } from 'vitest';
import createRecoveryToken from '../../../functions/auth/create-recovery-token.js';
import recoveryTokenStatus from '../../../functions/auth/recovery-token-status.js';
import useRecoveryToken from '../../../functions/auth/use-recovery-token.js';
import { call, jsonRequest, makeCtx } from '../../helpers/function-call.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();

const NOW = new Date('2030-06-01T12:00:00.000Z');

function create(body?: unknown, now = NOW) {
  return call(createRecoveryToken, jsonRequest('POST', '/auth/recovery_token', { body }), makeCtx(temp, { now: () => now }));
}
function status(now = NOW) {
  return call(recoveryTokenStatus, jsonRequest('GET', '/auth/recovery_token'), makeCtx(temp, { now: () => now }));
}
function use(body: unknown, now = NOW) {
  return call(useRecoveryToken, jsonRequest('POST', '/auth/recovery_token/use', { body }), makeCtx(temp, { caller: null, now: () => now }));
}

describe('GET /auth/recovery_token', () => {
  it('reports nulls when there is no recovery token', async () => {
    temp.writeTokens({ tokens: [] });
    // created_by: which device made the recovery token.
    expect((await status()).body).toEqual({ exists: false, valid: false, date: null, expiration: null, uses_left: null, created_by: null });
  });

  it('reports the Python API\'s stored token as valid with its uses', async () => {
    expect((await status()).body).toEqual({
      exists: true, valid: true, date: '2022-05-31T10:05:00.000000Z', expiration: null, uses_left: 2, created_by: null,
    });
  });
});

describe('POST /auth/recovery_token', () => {
  it('creates an 18-word mnemonic of 24 bytes without a body', async () => {
    const { status: code, body } = await create();
    expect(code).toBe(200);
    expect(body.token.split(' ')).toHaveLength(18);
    const stored = temp.readTokens().recovery_token;
    expect(stored.token).toMatch(/^[0-9a-f]{48}$/);
    expect(entropyToMnemonic(stored.token)).toBe(body.token);
    expect(stored).toMatchObject({ date: '2030-06-01T12:00:00.000000Z', expiration: null, uses_left: null });
  });

  it('stores expiration and uses', async () => {
    await create({ expiration: '2030-06-02T00:00:00.5Z', uses: 3 });
    expect(temp.readTokens().recovery_token).toMatchObject({ expiration: '2030-06-02T00:00:00.500000Z', uses_left: 3 });
  });

  it('rejects a past expiration, a bad format and uses below 1 with 400, leaving the file as it was', async () => {
    const before = temp.tokensBytes();
    for (const body of [
      { expiration: '2020-01-01T00:00:00.000000Z' },
      { expiration: '2031-01-01 00:00:00' },
      { expiration: '2031-02-31T00:00:00.000Z' },
      { expiration: 12 },
      { uses: 0 },
      { uses: 'two' },
      { uses: 1.5 },
    ]) {
      const result = await create(body);
      expect(result.status, JSON.stringify(body)).toBe(400);
      expect(['expiration', 'uses']).toContain(result.body.field);
    }
    expect(temp.tokensBytes()).toBe(before);
  });
});

describe('POST /auth/recovery_token/use', () => {
  it('issues a token and counts down uses until none are left', async () => {
    const { body } = await create({ uses: 2 });
    expect((await use({ token: body.token, device: 'laptop' })).status).toBe(200);
    expect(temp.readTokens().recovery_token.uses_left).toBe(1);
    const second = await use({ token: body.token, device: 'laptop' });
    expect(second.status).toBe(200);
    expect(temp.readTokens().tokens.map((t: any) => t.name)).toContain('laptop');
    expect((await status()).body).toMatchObject({ valid: false, uses_left: 0 });
    expect(await use({ token: body.token, device: 'laptop' })).toMatchObject({ status: 404, body: { error: 'Token not found' } });
  });

  it('rejects an expired token', async () => {
    const { body } = await create({ expiration: '2030-06-01T13:00:00.000000Z' });
    expect((await use({ token: body.token, device: 'x' }, new Date('2030-06-01T13:00:01Z'))).status).toBe(404);
  });

  it('rejects a wrong mnemonic with 404 and a missing field with 400', async () => {
    await create();
    expect((await use({ token: 'abandon '.repeat(17) + 'about', device: 'x' })).status).toBe(404);
    expect((await use({ token: 'abandon' })).body.field).toBe('device');
  });
});
