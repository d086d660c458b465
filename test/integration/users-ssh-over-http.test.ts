// Users and SSH through the real server: nothing in a name, key or password is ever run, and bad paths change nothing.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRIMARY_TOKEN } from '../helpers/function-call.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { makeStandIns, type StandInBin } from '../helpers/stand-ins.js';
import { makeTempRoot, type TempRoot } from '../helpers/temp-root.js';

let temp: TempRoot;
let server: ServerProcess;
let standIns: StandInBin;
let markers: string;
let callsAtStart: number;

beforeAll(async () => {
  temp = makeTempRoot();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-injection-'));
  markers = path.join(scratch, 'markers');
  fs.mkdirSync(markers);
  standIns = makeStandIns(path.join(scratch, 'bin'), { systemctl: {}, reboot: {}, git: {}, uname: { stdout: 'Linux stand-in\n' } });
  server = await startServerProcess(temp.root, { PATH: standIns.pathValue });
  // Migrations may call stand-ins at start-up; only calls made by the requests below count.
  callsAtStart = standIns.calls().length;
}, 60_000);

afterAll(async () => {
  await server?.stop();
  temp?.cleanup();
  if (markers) fs.rmSync(path.dirname(markers), { recursive: true, force: true });
});

/** Shell syntax that would create `<markers>/<name>` if anything handed it to a shell. */
function payloads(name: string): string[] {
  const file = path.join(markers, name);
  return [`$(touch ${file}-dollar)`, `\`touch ${file}-backtick\``, `x;touch ${file}-semicolon`, `x && touch ${file}-and`, `x|touch ${file}-pipe`];
}

const api = (pathname: string, init: RequestInit & { json?: unknown } = {}) => server.fetch(pathname, { token: PRIMARY_TOKEN, ...init });

/** Sends a path exactly as written (fetch would normalise `..` and re-encode). */
function rawRequest(method: string, rawPath: string): Promise<{ status: number; body: string }> {
  const url = new URL(server.url);
  const payload = method === 'GET' ? '' : JSON.stringify({ public_key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHvQ x@y' });
  // An explicit length: Node sends a DELETE body neither chunked nor sized otherwise.
  const headers = { authorization: `Bearer ${PRIMARY_TOKEN}`, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) };
  return new Promise((resolve, reject) => {
    const request = http.request({ host: url.hostname, port: url.port, method, path: rawPath, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end(payload);
  });
}

describe('shell syntax in users and keys is never executed', () => {
  it('refuses such usernames, stores such keys and passwords as inert text, and runs nothing', async () => {
    const refused: number[] = [];
    for (const username of payloads('user')) {
      refused.push((await api('/users', { method: 'POST', json: { username, password: 'pw' } })).status);
      const encoded = encodeURIComponent(username);
      refused.push((await api(`/services/ssh/keys/${encoded}`)).status);
      refused.push((await api(`/services/ssh/keys/${encoded}`, { method: 'POST', json: { public_key: 'ssh-ed25519 AAAAC3Nza x@y' } })).status);
      refused.push((await api(`/services/ssh/keys/${encoded}`, { method: 'DELETE', json: { public_key: 'ssh-ed25519 AAAAC3Nza x@y' } })).status);
      refused.push((await api(`/users/${encoded}`, { method: 'DELETE' })).status);
    }
    expect(refused.every((status) => status === 400 || status === 404), refused.join(',')).toBe(true);

    const passwords = payloads('password');
    const created = await api('/users', { method: 'POST', json: { username: 'shell_test', password: passwords[0] } });
    expect(created.status).toBe(201);

    const keys = payloads('key').map((tail, i) => `${i % 2 ? 'ssh-rsa' : 'ssh-ed25519'} AAAAC3NzaC1lZDI1NTE5 ${tail}`);
    for (const key of keys) {
      expect((await api('/services/ssh/key/send', { method: 'PUT', json: { public_key: key } })).status).toBe(201);
      expect((await api('/services/ssh/keys/tester', { method: 'POST', json: { public_key: key } })).status).toBe(201);
      expect((await api('/services/ssh/keys/shell_test', { method: 'POST', json: { public_key: key } })).status).toBe(201);
    }
    expect(await (await api('/services/ssh/keys/shell_test')).json()).toEqual(keys);
    const stored = temp.readUserdata();
    expect(stored.ssh.rootKeys.slice(1)).toEqual(keys);
    expect(stored.sshKeys.slice(2)).toEqual(keys);
    for (const key of keys) {
      expect((await api('/services/ssh/keys/root', { method: 'DELETE', json: { public_key: key } })).status).toBe(200);
    }
    expect((await api('/users/shell_test', { method: 'DELETE' })).status).toBe(200);

    // Give anything wrongly started in the background a moment to show itself.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fs.readdirSync(markers)).toEqual([]);
    expect(standIns.calls().slice(callsAtStart)).toEqual([]);
  });
});

describe('a created user\'s password', () => {
  it('reaches neither userdata.json nor the server log', async () => {
    const password = 'Plain-Text-Pw-48151623';
    expect((await api('/users', { method: 'POST', json: { username: 'pw_probe', password } })).status).toBe(201);
    expect((await api('/users', { method: 'POST', json: { username: 'pw_probe', password } })).status).toBe(409);
    expect((await api('/users', { method: 'POST', json: { username: 'Bad-Name', password } })).status).toBe(400);
    expect(temp.userdataBytes()).not.toContain(password);
    expect(server.output()).not.toContain(password);
    expect(server.output()).toContain('"path":"/users"');
  });
});

describe('path parameters over HTTP', () => {
  const bad = ['a%2Fb', '..%2F..%2Fetc%2Fpasswd', 'user1%00', '%00', 'a%0Ab', 'x'.repeat(10 * 1024), '%E0%A4%A', '%ZZ'];
  const routes = [['DELETE', '/users/'], ['GET', '/services/ssh/keys/'], ['POST', '/services/ssh/keys/'], ['DELETE', '/services/ssh/keys/']] as const;

  it('answer a 4xx JSON error, never a 5xx, and leave userdata.json byte-for-byte unchanged', async () => {
    const before = temp.userdataBytes();
    for (const name of bad) {
      for (const [method, prefix] of routes) {
        const { status, body } = await rawRequest(method, `${prefix}${name}`);
        const where = `${method} ${prefix}${name.slice(0, 40)} → ${status} ${body.slice(0, 80)}`;
        expect(status >= 400 && status < 500, where).toBe(true);
        expect(() => JSON.parse(body), where).not.toThrow();
      }
    }
    expect(temp.userdataBytes()).toBe(before);
  });

  it('resolve a .. segment before routing, so it never reaches a handler as a name', async () => {
    // URLs drop dot segments (RFC 3986 5.2.4): /services/ssh/keys/.. is /services/ssh, /users/.. is /.
    const before = temp.userdataBytes();
    for (const name of ['..', '%2e%2e', '.']) {
      for (const [method, prefix] of routes) {
        const { status, body } = await rawRequest(method, `${prefix}${name}`);
        expect(status < 500, `${method} ${prefix}${name} → ${status}`).toBe(true);
        expect(body).not.toContain('User not found');
      }
    }
    expect(temp.userdataBytes()).toBe(before);
  });

  it('answer 400 naming username for a %2F or %00 in the name', async () => {
    for (const name of ['a%2Fb', 'user1%00']) {
      const { status, body } = await rawRequest('GET', `/services/ssh/keys/${name}`);
      expect(status).toBe(400);
      expect(JSON.parse(body).field).toBe('username');
    }
  });
});
