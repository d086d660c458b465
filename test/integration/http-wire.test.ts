// The compiled server on the wire: headers, exact lengths, request bodies, odd requests, one log line each.
import net from 'node:net';
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
    expect(await expectJsonAnswer(await server.fetch('/api/version'), 200)).toEqual({ version: '1.3.0' });
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

  it('gives every answer a request id, the one of its log line', async () => {
    const answers = [await server.fetch('/auth/tokens', { token: PRIMARY_TOKEN }), await server.fetch('/no/such/path')];
    const ids = answers.map((answer) => answer.headers.get('x-request-id'));
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      await expect.poll(() => server.output(), { timeout: 5000 }).toContain(`"requestId":"${id}"`);
    }
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('logs one line per request with its path and status, and never the token', async () => {
    await server.fetch('/auth/recovery_token', { token: PRIMARY_TOKEN });
    await expect.poll(() => server.output(), { timeout: 5000 }).toMatch(/"path":"\/auth\/recovery_token","status":200/);
    expect(server.output()).not.toContain(PRIMARY_TOKEN);
  });
});

/** Sends raw bytes and returns the raw answer (for requests fetch() will not send). */
function rawExchange(text: string): Promise<string> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    // Written, not ended: the request says Connection: close, so the server ends the exchange.
    const socket = net.connect(Number(port), hostname, () => socket.write(text));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('request bodies', () => {
  it('hands a JSON body to the function', async () => {
    const response = await server.fetch('/auth/tokens', { method: 'DELETE', token: PRIMARY_TOKEN, json: { token_name: 'no-such-device' } });
    expect(response.status).toBe(404);
    const refused = await server.fetch('/auth/tokens', { method: 'DELETE', token: PRIMARY_TOKEN, json: { token_name: 5 } });
    expect(await expectJsonAnswer(refused, 400)).toMatchObject({ field: 'token_name' });
  });

  it('refuses a body over 64 KiB sent without a length with 413', async () => {
    const chunk = `{"token_name":"${'x'.repeat(70 * 1024)}"}`;
    const answer = await rawExchange(
      `DELETE /auth/tokens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${PRIMARY_TOKEN}\r\nContent-Type: application/json\r\n`
      + `Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
  });
});

describe('odd requests', () => {
  it('answers a request target that is no path with a JSON 4xx, and keeps serving', async () => {
    const answer = await rawExchange('GET http://[::1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 4\d\d /);
    expect(answer).toMatch(/\r\n\r\n\{"error":/);
    expect(answer).toContain('x-content-type-options: nosniff');
    expect((await server.fetch('/api/version')).status).toBe(200);
  });

  it('sends headers without a body for HEAD', async () => {
    const answer = await rawExchange('HEAD /api/version HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 \d{3} /);
    expect(answer.split('\r\n\r\n')[1]).toBe('');
  });
});
