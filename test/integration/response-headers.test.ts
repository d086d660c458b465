// The compiled server's answers on the wire: headers, exact lengths, and one log line per request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRIMARY_TOKEN } from '../helpers/function-call.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { makeTempRoot, type TempRoot } from '../helpers/temp-root.js';

let temp: TempRoot;
let server: ServerProcess;
beforeAll(async () => {
  temp = makeTempRoot();
  server = await startServerProcess(temp.root);
});
afterAll(async () => {
  await server?.stop();
  temp?.cleanup();
});

async function expectJsonAnswer(response: Response, status: number): Promise<unknown> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/json');
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('cache-control')).toBe('no-store');
  const bytes = new Uint8Array(await response.arrayBuffer());
  expect(Number(response.headers.get('content-length'))).toBe(bytes.byteLength);
  return JSON.parse(new TextDecoder().decode(bytes));
}

describe('answers on the wire', () => {
  it('sends a public answer with its length and the standard headers', async () => {
    expect(await expectJsonAnswer(await server.fetch('/api/version'), 200)).toEqual({ version: '1.2.0' });
  });

  it('sends an authenticated answer read from tokens.json', async () => {
    const body = await expectJsonAnswer(await server.fetch('/auth/tokens', { token: PRIMARY_TOKEN }), 200);
    expect(body).toEqual([
      { name: 'primary_token', date: '2022-01-14T08:31:10.789314Z', is_caller: true },
      { name: 'Pixel_6', date: '2022-05-31T10:02:45.123456Z', is_caller: false },
    ]);
  });

  it('sends 401 with its challenge, and 404 for an unknown path, as JSON', async () => {
    const unauthorised = await server.fetch('/auth/tokens', { token: 'not-a-token' });
    expect(unauthorised.headers.get('www-authenticate')).toContain('Bearer');
    expect(await expectJsonAnswer(unauthorised, 401)).toEqual({ error: 'Invalid token' });
    expect(await expectJsonAnswer(await server.fetch('/no/such/path'), 404)).toEqual({ error: 'Not found' });
  });

  it('logs one line per request with its path and status, and never the token', async () => {
    await server.fetch('/auth/recovery_token', { token: PRIMARY_TOKEN });
    await expect.poll(() => server.output(), { timeout: 5000 }).toMatch(/"path":"\/auth\/recovery_token","status":200/);
    expect(server.output()).not.toContain(PRIMARY_TOKEN);
  });
});
