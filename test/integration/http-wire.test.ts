// The compiled server on the wire: headers, exact lengths, request bodies, odd requests, one log line each.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { PRIMARY_TOKEN } from '../helpers/function-call.js';
import { useServerProcess } from '../helpers/setup.js';

const { temp, server } = useServerProcess();

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

/** A raw GET or HEAD with the primary token, a Host header and a target of the test's choosing. */
function rawRequest(method: string, target: string, host = 'x', token = PRIMARY_TOKEN): Promise<string> {
  return rawExchange(`${method} ${target} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`);
}

function statusOf(answer: string): number {
  return Number(/^HTTP\/1\.1 (\d{3}) /.exec(answer)?.[1]);
}

function bodyOf(answer: string): string {
  return answer.slice(answer.indexOf('\r\n\r\n') + 4);
}

function headerOf(answer: string, name: string): string | undefined {
  const head = answer.slice(0, answer.indexOf('\r\n\r\n'));
  return new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1];
}

describe('routing on the request target alone', () => {
  it('ignores the Host header: Host "a/auth" with GET /tokens is not GET /auth/tokens', async () => {
    const answer = await rawRequest('GET', '/tokens', 'a/auth');
    expect(statusOf(answer)).toBe(404);
    expect(JSON.parse(bodyOf(answer))).toEqual({ error: 'Not found' });
  });

  it('answers a Host the URL parser refuses like any other, never with a stack trace', async () => {
    const answer = await rawRequest('GET', '/auth/recovery_token', 'x%');
    expect(statusOf(answer)).toBe(200);
    expect(headerOf(answer, 'content-type')).toBe('application/json');
    expect(answer).not.toContain('TypeError');
    expect(answer).not.toContain(process.cwd());
  });

  it('routes an absolute-form target on its path, whatever host it names', async () => {
    const answer = await rawRequest('GET', 'http://elsewhere.example/auth/recovery_token?x=1', 'x');
    expect(statusOf(answer)).toBe(200);
    expect(JSON.parse(bodyOf(answer))).toMatchObject({ exists: expect.any(Boolean) });
  });

  it('answers a target that is no path with a JSON 400', async () => {
    for (const target of ['*', 'http://[::1', 'ftp://host/auth/tokens', 'auth/tokens']) {
      const answer = await rawRequest('GET', target);
      expect(statusOf(answer), target).toBe(400);
      expect(JSON.parse(bodyOf(answer)), target).toMatchObject({ error: expect.any(String) });
      expect(headerOf(answer, 'x-content-type-options'), target).toBe('nosniff');
    }
  });
});

describe('dot-segments in the path', () => {
  it('answers a path segment that is . or .., written out or %-escaped, with a JSON 400 instead of resolving it', async () => {
    for (const target of ['/services/ssh/keys/%2e%2e', '/services/ssh/keys/%2E%2e', '/services/ssh/keys/.%2e', '/services/ssh/keys/..', '/services/ssh/keys/.', '/services/x/../ssh', '/users/%2e/']) {
      const answer = await rawRequest('GET', target);
      expect(statusOf(answer), target).toBe(400);
      expect(JSON.parse(bodyOf(answer)), target).toMatchObject({ error: expect.stringContaining('.') });
    }
  });

  it('still takes dots inside a segment and in the query', async () => {
    expect(statusOf(await rawRequest('GET', '/api/swagger.json'))).toBe(404);
    expect(statusOf(await rawRequest('GET', '/services/ssh/keys/a..b'))).toBe(404);
    expect(statusOf(await rawRequest('GET', '/users?withMainUser=true&x=../..'))).toBe(200);
  });
});

describe('HEAD', () => {
  it('answers HEAD on a GET route as GET, with its headers and length, without a body', async () => {
    const get = await rawRequest('GET', '/auth/tokens');
    const head = await rawRequest('HEAD', '/auth/tokens');
    expect(statusOf(head)).toBe(200);
    expect(headerOf(head, 'content-type')).toBe('application/json');
    expect(headerOf(head, 'content-length')).toBe(headerOf(get, 'content-length'));
    expect(bodyOf(head)).toBe('');
  });

  it('asks for a token on HEAD as on GET', async () => {
    const head = await rawRequest('HEAD', '/auth/tokens', 'x', 'wrong');
    expect(statusOf(head)).toBe(401);
    expect(bodyOf(head)).toBe('');
  });

  it('refuses HEAD with 405 on a GET route that changes the server, without running it', async () => {
    const head = await rawRequest('HEAD', '/system/reboot');
    expect(statusOf(head)).toBe(405);
    expect(headerOf(head, 'allow')).toBe('GET');
    expect(server.output()).not.toContain('reboot requested');
  });

  it('lists HEAD among the allowed methods of a path with GET', async () => {
    const answer = await rawRequest('PATCH', '/auth/tokens');
    expect(statusOf(answer)).toBe(405);
    expect(headerOf(answer, 'allow')?.split(/,\s*/).sort()).toEqual(['DELETE', 'GET', 'HEAD', 'POST']);
  });
});
