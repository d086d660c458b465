// The token flows over HTTP against the real server (`node dist/runtime/serve.cjs`) on a temporary root.
import { entropyToMnemonic, validateMnemonic } from 'bip39';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { beforeEach, describe, expect, it } from 'vitest';
import { formatTokenDate } from '../../domain/token-dates.js';
import { PRIMARY_TOKEN } from '../helpers/function-call.js';
import { startServerProcess } from '../helpers/server-process.js';
import { fixture, makeTempRoot } from '../helpers/temp-root.js';
import { useServerProcess } from '../helpers/setup.js';

const { temp, server } = useServerProcess();
/** Every status the server answered in this file, and every secret it handed out. */
const statuses: Array<{ request: string; status: number }> = [];
const secrets = new Set<string>([PRIMARY_TOKEN]);

// Every test starts from the example tokens.json; the server reads it afresh on each request.
beforeEach(() => temp.writeTokens(fixture('tokens.json')));

interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

// Each test is its own client (nginx's X-Forwarded-For from loopback): the brute-force limiter
// counts failures per client, and these tests make many on purpose.
let client = 0;
beforeEach(() => {
  client += 1;
});
const clientHeader = (): Record<string, string> => ({ 'x-forwarded-for': `198.51.100.${client}` });

async function call(method: string, pathname: string, options: { token?: string; json?: unknown } = {}): Promise<Answer> {
  const response = await server.fetch(pathname, { method, headers: clientHeader(), ...options });
  const text = await response.text();
  statuses.push({ request: `${method} ${pathname}`, status: response.status });
  const body = text === '' ? undefined : JSON.parse(text);
  for (const value of [body?.token].filter((token) => typeof token === 'string')) secrets.add(value);
  return { status: response.status, body, headers: response.headers };
}

const newMnemonic = async (): Promise<string> => {
  const answer = await call('POST', '/auth/new_device', { token: PRIMARY_TOKEN });
  expect(answer.status).toBe(200);
  return answer.body.token as string;
};
const authorize = (token: unknown, device: unknown = 'phone'): Promise<Answer> => call('POST', '/auth/new_device/authorize', { json: { token, device } });
const createRecovery = (json?: unknown): Promise<Answer> => call('POST', '/auth/recovery_token', { token: PRIMARY_TOKEN, json });
const useRecovery = (token: unknown, device: unknown = 'laptop'): Promise<Answer> => call('POST', '/auth/recovery_token/use', { json: { token, device } });
const recoveryStatus = async (): Promise<any> => (await call('GET', '/auth/recovery_token', { token: PRIMARY_TOKEN })).body;
const tokenNames = async (token = PRIMARY_TOKEN): Promise<string[]> => (await call('GET', '/auth/tokens', { token })).body.map((entry: any) => entry.name);

/** Rewrites one stored date of tokens.json by hand, as an admin with an editor would. */
function editStored(section: 'new_device' | 'recovery_token', field: string, value: unknown): void {
  const tokens = temp.readTokens();
  tokens[section][field] = value;
  temp.writeTokens(tokens);
}

const minuteAgo = (): Date => new Date(Date.now() - 60_000);

describe('new-device flow', () => {
  it('issues a 12-word mnemonic that a new device trades, without a token, for a working API token', async () => {
    const mnemonic = await newMnemonic();
    expect(mnemonic.split(' ')).toHaveLength(12);
    expect(validateMnemonic(mnemonic)).toBe(true);
    const authorized = await authorize(mnemonic, 'New Phone');
    expect(authorized).toMatchObject({ status: 200, body: { message: 'Device authorized', token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) } });
    const listed = await call('GET', '/auth/tokens', { token: authorized.body.token });
    expect(listed.status).toBe(200);
    expect(listed.body).toContainEqual({ name: 'New_Phone', date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/), is_caller: true });
  });

  it('answers a second use of the same mnemonic with 404', async () => {
    const mnemonic = await newMnemonic();
    expect((await authorize(mnemonic)).status).toBe(200);
    expect(await authorize(mnemonic, 'other')).toMatchObject({ status: 404, body: { message: 'Token not found' } });
  });

  it('lets exactly one of many simultaneous uses of a mnemonic through', async () => {
    const mnemonic = await newMnemonic();
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => authorize(mnemonic, `racer${i}`)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 404, 404, 404, 404, 404]);
    expect((await tokenNames()).filter((name) => name.startsWith('racer'))).toHaveLength(1);
  });

  it('answers wrong words and a wrong checksum with 404, leaving the file and the mnemonic as they were', async () => {
    const mnemonic = await newMnemonic();
    const before = temp.tokensBytes();
    const words = mnemonic.split(' ');
    const wrongChecksum = [...words.slice(0, 11), words[11] === 'zoo' ? 'zone' : 'zoo'].join(' ');
    for (const wrong of [
      entropyToMnemonic(randomBytes(16).toString('hex')),
      'correct horse battery staple and some more words that are not right',
      wrongChecksum,
      words.slice(0, 11).join(' '),
      `${mnemonic} abandon`,
      entropyToMnemonic(randomBytes(24).toString('hex')),
    ]) {
      expect(await authorize(wrong), wrong).toMatchObject({ status: 404, body: { message: 'Token not found' } });
    }
    expect(temp.tokensBytes()).toBe(before);
    expect((await authorize(mnemonic.toUpperCase())).status).toBe(200);
  });

  it('answers a mnemonic whose stored expiration was edited into the past with 404', async () => {
    const mnemonic = await newMnemonic();
    editStored('new_device', 'expiration', formatTokenDate(minuteAgo()));
    const before = temp.tokensBytes();
    expect(await authorize(mnemonic)).toMatchObject({ status: 404, body: { message: 'Token not found' } });
    expect(temp.tokensBytes()).toBe(before);
  });

  it('reads an expiration in the Python API\'s older format too', async () => {
    const mnemonic = await newMnemonic();
    editStored('new_device', 'expiration', formatTokenDate(minuteAgo()).replace('T', ' ').replace('Z', ''));
    expect((await authorize(mnemonic)).status).toBe(404);
    editStored('new_device', 'expiration', formatTokenDate(new Date(Date.now() + 60_000)).replace('T', ' ').replace('Z', ''));
    expect((await authorize(mnemonic)).status).toBe(200);
  });

  it('keeps only the newest mnemonic', async () => {
    const first = await newMnemonic();
    const second = await newMnemonic();
    expect((await authorize(first)).status).toBe(404);
    expect((await authorize(second)).status).toBe(200);
  });

  it('cancels the pending mnemonic on DELETE /auth/new_device', async () => {
    const mnemonic = await newMnemonic();
    expect(await call('DELETE', '/auth/new_device', { token: PRIMARY_TOKEN })).toMatchObject({ status: 200, body: { token: null } });
    expect(temp.readTokens().new_device ?? null).toBeNull();
    expect((await authorize(mnemonic)).status).toBe(404);
  });
});

describe('recovery flow', () => {
  it('creates a limited mnemonic, reports its status, counts its uses down and refuses it when used up', async () => {
    const expiration = formatTokenDate(new Date(Date.now() + 3_600_000));
    const created = await createRecovery({ uses: 2, expiration });
    expect(created.status).toBe(200);
    const mnemonic = created.body.token as string;
    expect(mnemonic.split(' ')).toHaveLength(18);
    // created_by: the device whose token made it.
    expect(await recoveryStatus()).toEqual({ exists: true, valid: true, date: expect.any(String), expiration, uses_left: 2, created_by: 'primary_token' });

    const first = await useRecovery(mnemonic, 'laptop');
    expect(first).toMatchObject({ status: 200, body: { token: expect.any(String) } });
    expect(await tokenNames(first.body.token)).toContain('laptop');
    expect(await recoveryStatus()).toMatchObject({ valid: true, uses_left: 1 });

    expect((await useRecovery(mnemonic, 'laptop')).status).toBe(200);
    expect(await recoveryStatus()).toMatchObject({ exists: true, valid: false, uses_left: 0 });
    const before = temp.tokensBytes();
    expect(await useRecovery(mnemonic, 'laptop')).toMatchObject({ status: 404, body: { error: 'Token not found' } });
    expect(temp.tokensBytes()).toBe(before);
    expect((await tokenNames()).filter((name) => name.startsWith('laptop'))).toHaveLength(2);
  });

  it('lets no more simultaneous uses through than the mnemonic has', async () => {
    const mnemonic = (await createRecovery({ uses: 2 })).body.token as string;
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => useRecovery(mnemonic, `rush${i}`)));
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(2);
    expect(answers.filter((answer) => answer.status === 404)).toHaveLength(4);
    expect(await recoveryStatus()).toMatchObject({ valid: false, uses_left: 0 });
  });

  it('refuses a mnemonic whose stored expiration was edited into the past with 404', async () => {
    const mnemonic = (await createRecovery()).body.token as string;
    expect(await recoveryStatus()).toMatchObject({ valid: true, expiration: null, uses_left: null });
    editStored('recovery_token', 'expiration', formatTokenDate(minuteAgo()));
    expect(await recoveryStatus()).toMatchObject({ exists: true, valid: false });
    const before = temp.tokensBytes();
    expect(await useRecovery(mnemonic)).toMatchObject({ status: 404, body: { error: 'Token not found' } });
    expect(temp.tokensBytes()).toBe(before);
  });

  it('refuses an earlier mnemonic once a new one is created', async () => {
    const first = (await createRecovery()).body.token as string;
    const second = (await createRecovery()).body.token as string;
    expect((await useRecovery(first)).status).toBe(404);
    expect((await useRecovery(second)).status).toBe(200);
  });

  it('answers wrong words with 404', async () => {
    await createRecovery();
    expect((await useRecovery(entropyToMnemonic(randomBytes(24).toString('hex')))).status).toBe(404);
    expect((await useRecovery('abandon '.repeat(17).trim())).status).toBe(404);
  });

  it('reports no recovery token with nulls', async () => {
    const tokens = temp.readTokens();
    delete tokens.recovery_token;
    temp.writeTokens(tokens);
    expect(await recoveryStatus()).toEqual({ exists: false, valid: false, date: null, expiration: null, uses_left: null, created_by: null });
  });
});

describe('device tokens', () => {
  it('refreshes the caller\'s token: the new one works under the same name, the old one is refused', async () => {
    const refreshed = await call('POST', '/auth/tokens', { token: PRIMARY_TOKEN });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.token).not.toBe(PRIMARY_TOKEN);
    expect((await call('GET', '/auth/tokens', { token: refreshed.body.token })).body).toContainEqual(expect.objectContaining({ name: 'primary_token', is_caller: true }));
    expect(await call('GET', '/auth/tokens', { token: PRIMARY_TOKEN })).toMatchObject({ status: 401, body: { error: 'Invalid token' } });
  });

  it('deletes another device\'s token, which is refused from then on', async () => {
    const pixelToken = fixture<any>('tokens.json').tokens[1].token as string;
    expect((await call('GET', '/auth/tokens', { token: pixelToken })).status).toBe(200);
    expect(await call('DELETE', '/auth/tokens', { token: PRIMARY_TOKEN, json: { token_name: 'Pixel_6' } })).toMatchObject({ status: 200, body: { message: 'Token deleted' } });
    expect((await call('GET', '/auth/tokens', { token: pixelToken })).status).toBe(401);
    expect(await tokenNames()).toEqual(['primary_token']);
  });

  it('refuses to delete the caller\'s own token (400) or an unknown one (404), changing nothing', async () => {
    const before = temp.tokensBytes();
    expect((await call('DELETE', '/auth/tokens', { token: PRIMARY_TOKEN, json: { token_name: 'primary_token' } })).status).toBe(400);
    expect((await call('DELETE', '/auth/tokens', { token: PRIMARY_TOKEN, json: { token_name: 'nobody' } })).status).toBe(404);
    expect(temp.tokensBytes()).toBe(before);
  });

  it('keeps tokens.json at mode 0600 with its unknown fields after writes', async () => {
    const tokens = temp.readTokens();
    tokens.added_by_nixos = { keep: ['me'] };
    temp.writeTokens(tokens);
    await newMnemonic();
    await call('POST', '/auth/tokens', { token: PRIMARY_TOKEN });
    expect(fs.statSync(temp.paths.tokens).mode & 0o777).toBe(0o600);
    expect(temp.readTokens().added_by_nixos).toEqual({ keep: ['me'] });
    expect(temp.tokensBytes()).toMatch(/^\{\n {4}"tokens": \[\n {8}\{/);
  });
});

describe('authentication over HTTP', () => {
  const protectedRoutes: Array<[string, string]> = [
    ['GET', '/auth/tokens'], ['POST', '/auth/tokens'], ['DELETE', '/auth/tokens'],
    ['POST', '/auth/new_device'], ['DELETE', '/auth/new_device'],
    ['GET', '/auth/recovery_token'], ['POST', '/auth/recovery_token'],
  ];

  it('answers every protected /auth route without a token with 401 and a Bearer challenge, changing nothing', async () => {
    const before = temp.tokensBytes();
    for (const [method, pathname] of protectedRoutes) {
      const answer = await call(method, pathname, method === 'GET' ? {} : { json: { token_name: 'Pixel_6' } });
      expect(answer.status, `${method} ${pathname}`).toBe(401);
      expect(answer.body).toEqual({ error: 'Missing Authorization header' });
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    }
    expect(temp.tokensBytes()).toBe(before);
  });

  it('answers every protected /auth route with an unknown token with 401 "Invalid token", changing nothing', async () => {
    const before = temp.tokensBytes();
    for (const [method, pathname] of protectedRoutes) {
      const answer = await call(method, pathname, { token: 'not-a-token', ...(method === 'GET' ? {} : { json: { token_name: 'Pixel_6' } }) });
      expect(answer, `${method} ${pathname}`).toMatchObject({ status: 401, body: { error: 'Invalid token' } });
    }
    expect(temp.tokensBytes()).toBe(before);
  });

  it('answers GET /api/version without a token', async () => {
    expect(await call('GET', '/api/version')).toMatchObject({ status: 200, body: { version: '1.3.0' } });
  });

  it('answers an unknown path with 404 and a wrong method with 405 and Allow', async () => {
    expect((await call('GET', '/auth/nothing', { token: PRIMARY_TOKEN })).status).toBe(404);
    const wrong = await call('PUT', '/auth/tokens', { token: PRIMARY_TOKEN });
    expect(wrong.status).toBe(405);
    // HEAD: GET routes that change nothing answer it.
    expect(wrong.headers.get('allow')?.split(/,\s*/).sort()).toEqual(['DELETE', 'GET', 'HEAD', 'POST']);
  });

  it('answers a 70 KiB body, a 1 MiB body streamed without a length, and malformed JSON with 4xx over a real socket', async () => {
    const big = await call('POST', '/auth/recovery_token/use', { json: { token: 'a'.repeat(70 * 1024), device: 'x' } });
    expect(big.status).toBe(413);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 1024 * 1024) return controller.close();
        controller.enqueue(new Uint8Array(16 * 1024).fill(0x61));
        sent += 16 * 1024;
      },
    });
    const streamed = await server.fetch('/auth/recovery_token/use', { method: 'POST', body: stream, duplex: 'half', headers: clientHeader() } as RequestInit);
    statuses.push({ request: 'POST /auth/recovery_token/use (streamed)', status: streamed.status });
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toEqual({ error: expect.stringContaining('larger than') });
    const response = await server.fetch('/auth/recovery_token/use', { method: 'POST', body: '{"token": ', headers: { 'content-type': 'application/json', ...clientHeader() } });
    statuses.push({ request: 'POST /auth/recovery_token/use (malformed)', status: response.status });
    expect(response.status).toBe(400);
  });
});

describe('the whole session', () => {
  it('answered no request with 5xx', () => {
    expect(statuses.length).toBeGreaterThan(50);
    expect(statuses.filter((entry) => entry.status >= 500)).toEqual([]);
  });

  it('logged no error and never a token or a mnemonic', () => {
    const output = server.output();
    expect(output).toContain('"msg":"request"');
    expect(output).not.toContain('"level":"error"');
    for (const secret of secrets) expect(output).not.toContain(secret);
  });
});

describe('shutdown', () => {
  it('on SIGTERM lets an in-flight request finish, closes its kept-alive connection, then exits 0', async () => {
    const root = makeTempRoot();
    const draining = await startServerProcess(root.root);
    const agent = new http.Agent({ keepAlive: true });
    try {
      const { port, hostname } = new URL(draining.url);
      // The body is held back until the server has the SIGTERM, so the request is in flight across it.
      const request = http.request({
        host: hostname, port, method: 'POST', path: '/auth/recovery_token', agent,
        headers: { authorization: `Bearer ${PRIMARY_TOKEN}`, 'content-type': 'application/json', expect: '100-continue' },
      });
      const answered = new Promise<{ status: number; body: any; connection: string | undefined }>((resolve, reject) => {
        request.on('response', (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text), connection: response.headers.connection }));
        });
        request.on('error', reject);
      });
      answered.catch(() => undefined); // awaited below; a failure is reported there
      await new Promise<void>((resolve) => {
        request.on('continue', () => resolve());
        request.flushHeaders();
      });
      request.write('{"uses": ');
      const exited = draining.stop('SIGTERM');
      while (!draining.output().includes('"msg":"shutting down"') && draining.child.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      request.end('3}');
      const answer = await answered;
      expect(answer.status).toBe(200);
      expect(answer.body.token.split(' ')).toHaveLength(18);
      // Left open, the idle connection would hold the exit up until the keep-alive timeout.
      expect(answer.connection).toBe('close');
      expect(await exited).toBe(0);
      expect(root.readTokens().recovery_token.uses_left).toBe(3);
      expect(fs.existsSync(`${root.paths.tokens}.lock`)).toBe(false);
      expect(draining.output()).toContain('"method":"POST","path":"/auth/recovery_token","status":200');
    } finally {
      agent.destroy();
      await draining.stop('SIGKILL');
      root.cleanup();
    }
  });
});
