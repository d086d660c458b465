// A full scenario through the real server, then a search of everything it printed for every secret used.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mnemonicToHex, newMnemonicSecret } from '../../domain/mnemonic.js';
import { readRouteDefinitions } from '../../kit/routes.js';
import { PRIMARY_TOKEN } from '../helpers/function-call.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { makeStandIns } from '../helpers/stand-ins.js';
import { fixture, makeTempRoot, type TempRoot } from '../helpers/temp-root.js';

const REQUEST_FIELDS = ['time', 'level', 'msg', 'requestId', 'method', 'path', 'status', 'durationMs', 'tokenName'];
const routes = readRouteDefinitions();
const hasRoute = (method: string, routePath: string): boolean => routes.some((route) => route.method === method && route.path === routePath);

let temp: TempRoot;
let server: ServerProcess;
let output = '';
/** Every secret the scenario used or received, with what it was. */
const secrets = new Map<string, string>();
/** The token name each request should be logged with, in order. */
const requestsMade: Array<{ method: string; path: string; status: number; tokenName: string | null }> = [];

function secret(label: string, value: string): string {
  secrets.set(value, label);
  return value;
}

async function send(
  method: string,
  pathAndQuery: string,
  options: { token?: string; json?: unknown; body?: string; authorization?: string; tokenName?: string | null } = {},
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await server.fetch(pathAndQuery, { method, token: options.token, json: options.json, body: options.body, headers });
  const text = await response.text();
  requestsMade.push({ method, path: pathAndQuery.split('?')[0] as string, status: response.status, tokenName: options.tokenName ?? null });
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

beforeAll(async () => {
  temp = makeTempRoot();
  for (const record of fixture<{ tokens: Array<{ token: string; name: string }> }>('tokens.json').tokens) {
    secret(`stored token of ${record.name}`, record.token);
  }
  const standIns = makeStandIns(path.join(temp.root, 'stand-ins'), {
    systemctl: {}, reboot: {}, 'nixos-rebuild': {}, git: {}, restic: { stdout: '[]' }, rclone: {}, uname: { stdout: 'Linux test' },
  });
  server = await startServerProcess(temp.root, {
    LOG_LEVEL: 'debug',
    ENABLE_SWAGGER: '1',
    PATH: standIns.pathValue,
    RESTIC_PASSWORD: secret('RESTIC_PASSWORD', `restic-${randomBytes(12).toString('hex')}`),
  });
  const primary = 'primary_token';

  // Tokens: list, wrong tokens of several shapes, a token in a query string, a refresh.
  await send('GET', '/auth/tokens', { token: PRIMARY_TOKEN, tokenName: primary });
  await send('GET', '/auth/tokens', { token: secret('wrong token', randomBytes(32).toString('base64url')) });
  await send('GET', '/auth/tokens', { authorization: `Basic ${secret('basic credential', Buffer.from(`admin:${randomBytes(8).toString('hex')}`).toString('base64'))}` });
  await send('GET', `/auth/tokens?token=${secret('token in a query string', randomBytes(16).toString('hex'))}`);

  // New device: create, a wrong mnemonic, a malformed body holding a mnemonic, then the real one.
  const created = await send('POST', '/auth/new_device', { token: PRIMARY_TOKEN, tokenName: primary });
  const mnemonic = secret('new-device mnemonic', created.body.token);
  secret('new-device mnemonic as stored', mnemonicToHex(mnemonic) as string);
  const wrong = newMnemonicSecret(16);
  secret('wrong mnemonic', wrong.mnemonic);
  await send('POST', '/auth/new_device/authorize', { json: { token: wrong.mnemonic, device: 'Intruder' } });
  await send('POST', '/auth/new_device/authorize', { body: `{"token": "${mnemonic}", "device": ` });
  const authorized = await send('POST', '/auth/new_device/authorize', { json: { token: mnemonic, device: 'Laptop' } });
  secret('token issued to the new device', authorized.body.token);
  await send('GET', '/auth/tokens', { token: authorized.body.token, tokenName: 'Laptop' });
  const cancelled = await send('POST', '/auth/new_device', { token: PRIMARY_TOKEN, tokenName: primary });
  secret('cancelled new-device mnemonic', cancelled.body.token);
  await send('DELETE', '/auth/new_device', { token: PRIMARY_TOKEN, tokenName: primary });

  // Recovery: create with limits, status, use it, and a wrong one.
  const recovery = await send('POST', '/auth/recovery_token', { token: PRIMARY_TOKEN, json: { uses: 2 }, tokenName: primary });
  const words = secret('recovery mnemonic', recovery.body.token);
  secret('recovery mnemonic as stored', mnemonicToHex(words) as string);
  await send('GET', '/auth/recovery_token', { token: PRIMARY_TOKEN, tokenName: primary });
  const recovered = await send('POST', '/auth/recovery_token/use', { json: { token: words, device: 'Phone' } });
  secret('token issued by recovery', recovered.body.token);
  await send('POST', '/auth/recovery_token/use', { json: { token: secret('wrong recovery mnemonic', newMnemonicSecret(24).mnemonic), device: 'x' } });

  // Refresh a token, delete another.
  const refreshed = await send('POST', '/auth/tokens', { token: authorized.body.token, tokenName: 'Laptop' });
  secret('refreshed token', refreshed.body.token);
  await send('DELETE', '/auth/tokens', { token: PRIMARY_TOKEN, json: { token_name: 'Phone' }, tokenName: primary });

  // Routes other helpers add, when they are there.
  if (hasRoute('POST', '/users')) {
    const password = secret('user password', `pw-${randomBytes(12).toString('hex')}`);
    await send('POST', '/users', { token: PRIMARY_TOKEN, json: { username: 'alice', password }, tokenName: primary });
    await send('POST', '/users', { token: PRIMARY_TOKEN, json: { username: 'Bad Name', password }, tokenName: primary });
    await send('POST', '/users', { token: PRIMARY_TOKEN, body: `{"username": "bob", "password": "${password}"`, tokenName: primary });
  }
  if (hasRoute('PUT', '/services/restic/backblaze/config')) {
    const accountId = secret('B2 account id', `id${randomBytes(10).toString('hex')}`);
    const accountKey = secret('B2 account key', `key${randomBytes(16).toString('hex')}`);
    await send('PUT', '/services/restic/backblaze/config', { token: PRIMARY_TOKEN, json: { accountId, accountKey, bucket: 'bucket-name' }, tokenName: primary });
    await send('PUT', '/services/restic/backblaze/config', { token: PRIMARY_TOKEN, json: { accountId, accountKey }, tokenName: primary });
  }

  for (const record of temp.readTokens().tokens as Array<{ token: string; name: string }>) secret(`stored token of ${record.name}`, record.token);
  await server.stop();
  output = server.output();
}, 120_000);

afterAll(async () => {
  await server?.stop();
  temp?.cleanup();
});

describe('server log', () => {
  it('holds none of the secrets the scenario used', () => {
    expect(secrets.size).toBeGreaterThanOrEqual(15);
    const leaked = [...secrets].filter(([value]) => output.includes(value)).map(([, label]) => label);
    expect(leaked).toEqual([]);
  });

  it('is JSON lines only, including the start, listening and shutdown lines', () => {
    const lines = output.trim().split('\n');
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.map((entry) => entry.msg)).toEqual(expect.arrayContaining(['starting', 'listening', 'shutting down']));
    for (const entry of entries) expect(['debug', 'info', 'warn', 'error']).toContain(entry.level);
  });

  it('has one line per request with its id, method, path, status, duration and token name', () => {
    const entries = output.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const requests = entries.filter((entry) => entry.msg === 'request');
    expect(requests.map((entry) => Object.keys(entry))).toEqual(requestsMade.map(() => REQUEST_FIELDS));
    expect(requests.map((entry) => ({ method: entry.method, path: entry.path, status: entry.status, tokenName: entry.tokenName }))).toEqual(requestsMade);
    expect(new Set(requests.map((entry) => entry.requestId)).size).toBe(requests.length);
    for (const entry of requests) expect(entry.durationMs).toEqual(expect.any(Number));
  });
});
