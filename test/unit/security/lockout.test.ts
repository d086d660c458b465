// A web page cannot lock the owner out (JSON bodies need their type; a valid token is never limited).
import { describe, expect, it } from 'vitest';
import { PRIMARY_TOKEN, WRONG_MNEMONIC } from '../../helpers/function-call.js';
import { useInProcessApp } from '../../helpers/setup.js';

const { temp, app } = useInProcessApp();

/** The owner's address, seen through nginx. */
const OWNER = { peer: '127.0.0.1', headers: { 'x-forwarded-for': '203.0.113.5' } };

/** What a cross-site form or fetch can send without a CORS preflight: a text/plain body. */
function simpleRequestLogin(path: string): Promise<Response> {
  return app.send('POST', path, {
    peer: OWNER.peer,
    headers: { ...OWNER.headers, 'content-type': 'text/plain;charset=UTF-8' },
    body: JSON.stringify({ token: WRONG_MNEMONIC, device: 'web page' }),
  });
}

describe('request bodies need Content-Type: application/json', () => {
  it('answers a login with a text/plain body 415, and ten of them do not block the owner', async () => {
    for (let attempt = 0; attempt < 10; attempt++) {
      expect((await simpleRequestLogin('/auth/recovery_token/use')).status).toBe(415);
      expect((await simpleRequestLogin('/auth/new_device/authorize')).status).toBe(415);
    }
    const created = await app.send('POST', '/auth/recovery_token', { ...OWNER, token: PRIMARY_TOKEN, json: {} });
    expect(created.status).toBe(200);
    const { token: mnemonic } = (await created.json()) as { token: string };
    expect((await app.send('POST', '/auth/recovery_token/use', { ...OWNER, json: { token: mnemonic, device: 'phone' } })).status).toBe(200);
  });

  it('answers a JSON body without a type, or of another type, 415 before the function runs', async () => {
    for (const type of [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', 'application/graphql-response+json']) {
      const answer = await app.request('/auth/tokens', {
        method: 'DELETE',
        token: PRIMARY_TOKEN,
        headers: type === undefined ? {} : { 'content-type': type },
        body: JSON.stringify({ token_name: 'Pixel_6' }),
      });
      expect(answer, String(type)).toMatchObject({ status: 415, body: { error: expect.stringContaining('application/json') } });
    }
    expect(temp.readTokens().tokens.map((record: { name: string }) => record.name)).toContain('Pixel_6');
  });

  it('accepts application/json with parameters and in any case', async () => {
    for (const type of ['application/json; charset=utf-8', 'Application/JSON', 'application/json;charset="UTF-8"']) {
      const answer = await app.request('/system/configuration/timezone', {
        method: 'PUT',
        token: PRIMARY_TOKEN,
        headers: { 'content-type': type },
        body: JSON.stringify({ timezone: 'Europe/Berlin' }),
      });
      expect(answer.status, type).toBe(200);
    }
  });

  it('still takes a request with no body at all, whatever its type', async () => {
    expect((await app.send('POST', '/auth/new_device', { token: PRIMARY_TOKEN })).status).toBe(200);
    expect((await app.send('POST', '/auth/tokens', { token: PRIMARY_TOKEN, headers: { 'content-type': 'text/plain' } })).status).toBe(200);
  });
});

describe('the failure limiter and valid tokens', () => {
  it('never refuses a valid token, while wrong ones from that client still count and get 429', async () => {
    for (let attempt = 0; attempt < 10; attempt++) {
      expect((await app.send('GET', '/auth/tokens', { ...OWNER, token: `guess-${attempt}` })).status).toBe(401);
    }
    expect((await app.send('GET', '/auth/tokens', { ...OWNER, token: 'guess-more' })).status).toBe(429);
    expect((await app.send('GET', '/auth/tokens', { ...OWNER, token: PRIMARY_TOKEN })).status).toBe(200);
    expect((await app.send('PUT', '/system/configuration/timezone', { ...OWNER, token: PRIMARY_TOKEN, json: { timezone: 'Europe/Berlin' } })).status).toBe(200);
    // The mnemonic logins stay closed to the blocked client: those are guesses.
    expect((await app.send('POST', '/auth/recovery_token/use', { ...OWNER, json: { token: WRONG_MNEMONIC, device: 'x' } })).status).toBe(429);
  });
});
