// node:http ↔ Request/Response on the real server: bodies in, bytes out, odd requests refused cleanly.
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

/** Sends raw bytes and returns the raw answer (for requests fetch() will not send). */
function rawExchange(text: string): Promise<string> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.end(text));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('request bodies', () => {
  it('hands a JSON body to the function', async () => {
    const response = await server.fetch('/auth/tokens', { method: 'DELETE', token: PRIMARY_TOKEN, json: { token_name: 'Pixel_6' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ message: 'Token deleted' });
    expect(temp.readTokens().tokens.map((record: { name: string }) => record.name)).toEqual(['primary_token']);
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
  it('answers a request target that is no path with a JSON 400, and keeps serving', async () => {
    const answer = await rawExchange('GET http://[::1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toMatch(/\r\n\r\n\{"error":/);
    expect((await server.fetch('/api/version')).status).toBe(200);
  });

  it('sends headers without a body for HEAD', async () => {
    const answer = await rawExchange('HEAD /api/version HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 \d{3} /);
    expect(answer.split('\r\n\r\n')[1]).toBe('');
  });
});
