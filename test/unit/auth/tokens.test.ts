import { describe, expect, it } from 'vitest';
import deleteToken from '../../../functions/auth/delete-token.js';
import listTokens from '../../../functions/auth/list-tokens.js';
import refreshToken from '../../../functions/auth/refresh-token.js';
import { call, jsonRequest, makeCtx, PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();

describe('GET /auth/tokens', () => {
  it('lists every device with documented dates and marks the caller', async () => {
    const { status, body } = await call(listTokens, jsonRequest('GET', '/auth/tokens'), makeCtx(temp));
    expect(status).toBe(200);
    expect(body).toEqual([
      { name: 'primary_token', date: '2022-01-14T08:31:10.789314Z', is_caller: true },
      { name: 'Pixel_6', date: '2022-05-31T10:02:45.123456Z', is_caller: false },
    ]);
  });
});

describe('DELETE /auth/tokens', () => {
  it('deletes another device token', async () => {
    const { status, body } = await call(deleteToken, jsonRequest('DELETE', '/auth/tokens', { body: { token_name: 'Pixel_6' } }), makeCtx(temp));
    expect(status).toBe(200);
    expect(body).toEqual({ message: 'Token deleted' });
    expect(temp.readTokens().tokens.map((t: any) => t.name)).toEqual(['primary_token']);
  });

  it('refuses to delete the caller\'s own token with 400', async () => {
    const before = temp.tokensBytes();
    const { status } = await call(deleteToken, jsonRequest('DELETE', '/auth/tokens', { body: { token_name: 'primary_token' } }), makeCtx(temp));
    expect(status).toBe(400);
    expect(temp.tokensBytes()).toBe(before);
  });

  it('answers 404 for an unknown name', async () => {
    const { status } = await call(deleteToken, jsonRequest('DELETE', '/auth/tokens', { body: { token_name: 'nope' } }), makeCtx(temp));
    expect(status).toBe(404);
  });

  it('answers 400 naming token_name when it is missing or not a string', async () => {
    for (const body of [{}, { token_name: 5 }]) {
      const result = await call(deleteToken, jsonRequest('DELETE', '/auth/tokens', { body }), makeCtx(temp));
      expect(result.status).toBe(400);
      expect(result.body.field).toBe('token_name');
    }
  });
});

describe('POST /auth/tokens', () => {
  it('replaces the caller\'s token and keeps its name and the file mode', async () => {
    const { status, body } = await call(refreshToken, jsonRequest('POST', '/auth/tokens'), makeCtx(temp));
    expect(status).toBe(200);
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = temp.readTokens().tokens;
    expect(stored[0]).toMatchObject({ name: 'primary_token', token: body.token });
    expect(stored.some((t: any) => t.token === PRIMARY_TOKEN)).toBe(false);
    const { statSync } = await import('node:fs');
    expect(statSync(temp.paths.tokens).mode & 0o777).toBe(0o600);
  });
});
