import { describe, expect, it } from 'vitest';
import { PRIMARY_TOKEN, WRONG_MNEMONIC } from '../../helpers/function-call.js';
import { useInProcessApp } from '../../helpers/setup.js';

/** nginx on the same machine: the socket peer is loopback, the client is in X-Forwarded-For. */
const VIA_NGINX = '127.0.0.1';

const { temp, app } = useInProcessApp();

function from(client: string): { peer: string; headers: Record<string, string> } {
  return { peer: VIA_NGINX, headers: { 'x-forwarded-for': client } };
}

async function statuses(count: number, send: () => Promise<Response>): Promise<number[]> {
  const seen: number[] = [];
  for (let attempt = 0; attempt < count; attempt++) seen.push((await send()).status);
  return seen;
}

describe.each([
  ['POST /auth/new_device/authorize', '/auth/new_device/authorize'],
  ['POST /auth/recovery_token/use', '/auth/recovery_token/use'],
])('brute force on %s', (_name, path) => {
  it('answers the 11th wrong mnemonic in a minute with 429 and Retry-After, and leaves tokens.json alone', async () => {
    const before = temp.tokensBytes();
    const guess = (): Promise<Response> => app.send('POST', path, { ...from('203.0.113.5'), json: { token: WRONG_MNEMONIC, device: 'x' } });
    expect(await statuses(10, guess)).toEqual(Array(10).fill(404));
    const blocked = await guess();
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(blocked.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(await blocked.json()).toEqual({ error: 'Too many failed attempts; try again later' });
    expect(temp.tokensBytes()).toBe(before);
  });

  it('does not count a malformed body (400) as a guess', async () => {
    const malformed = (): Promise<Response> => app.send('POST', path, { ...from('203.0.113.5'), json: { token: 5 } });
    expect(await statuses(15, malformed)).toEqual(Array(15).fill(400));
  });
});

describe('brute force on the new-device mnemonic', () => {
  it('refuses even the right mnemonic from a blocked client while another client may use it', async () => {
    const created = await app.send('POST', '/auth/new_device', { token: PRIMARY_TOKEN });
    const { token: mnemonic } = (await created.json()) as { token: string };
    const authorize = (client: string): Promise<Response> =>
      app.send('POST', '/auth/new_device/authorize', { ...from(client), json: { token: mnemonic, device: 'phone' } });
    for (let attempt = 0; attempt < 10; attempt++) {
      await app.send('POST', '/auth/new_device/authorize', { ...from('203.0.113.5'), json: { token: WRONG_MNEMONIC, device: 'x' } });
    }
    expect((await authorize('203.0.113.5')).status).toBe(429);
    expect((await authorize('198.51.100.9')).status).toBe(200);
  });
});

describe('brute force on bearer tokens', () => {
  // This test used to expect the right token refused too; a valid token is never
  // a guess, so the limiter only answers wrong ones (test/unit/security/lockout.test.ts).
  it('answers 429 to wrong tokens after ten of them, from that client only, and lets the right token through', async () => {
    const wrong = (): Promise<Response> => app.send('GET', '/auth/tokens', { ...from('203.0.113.5'), token: 'guess' });
    expect(await statuses(10, wrong)).toEqual(Array(10).fill(401));
    const blocked = await wrong();
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await app.send('GET', '/auth/tokens', { ...from('198.51.100.9'), token: 'guess' })).status).toBe(401);
    expect((await app.send('GET', '/auth/tokens', { ...from('203.0.113.5'), token: PRIMARY_TOKEN })).status).toBe(200);
  });

  it('does not count requests without an Authorization header', async () => {
    const bare = (): Promise<Response> => app.send('GET', '/auth/tokens', from('203.0.113.5'));
    expect(await statuses(20, bare)).toEqual(Array(20).fill(401));
    expect((await app.send('GET', '/auth/tokens', { ...from('203.0.113.5'), token: PRIMARY_TOKEN })).status).toBe(200);
  });

  it('ignores X-Forwarded-For from a peer that is not loopback', async () => {
    // A stranger cannot dodge the limit (or frame someone) by writing the header itself.
    for (let attempt = 0; attempt < 10; attempt++) {
      await app.send('GET', '/auth/tokens', { peer: '192.0.2.44', headers: { 'x-forwarded-for': `10.0.0.${attempt}` }, token: 'guess' });
    }
    const blocked = await app.send('GET', '/auth/tokens', { peer: '192.0.2.44', headers: { 'x-forwarded-for': '10.9.9.9' }, token: 'guess' });
    expect(blocked.status).toBe(429);
  });

  it('leaves public routes without a secret open to a blocked client', async () => {
    for (let attempt = 0; attempt < 10; attempt++) await app.send('GET', '/auth/tokens', { ...from('203.0.113.5'), token: 'guess' });
    expect((await app.send('GET', '/api/version', from('203.0.113.5'))).status).toBe(200);
  });
});
