import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAuditLog } from '../../../runtime/audit-log.js';
import { createLogger } from '../../../runtime/logger.js';
import type { LoadedRoute } from '../../../kit/context.js';
import { concretePaths } from '../../../runtime/route-paths.js';
import { PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { allRoutes, inlineRoute, makeInProcessApp } from '../../helpers/in-process-app.js';
import { useInProcessApp } from '../../helpers/setup.js';

const { temp, app } = useInProcessApp();

function auditLines(): Array<Record<string, unknown>> {
  if (!fs.existsSync(temp.paths.auditLog)) return [];
  return fs.readFileSync(temp.paths.auditLog, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

const VIA_NGINX = { peer: '127.0.0.1', headers: { 'x-forwarded-for': '203.0.113.5' } };

describe('audit log of mutating requests', () => {
  it('records time, token name, client, method, path and status of a mutation, and nothing else', async () => {
    const response = await app.send('DELETE', '/auth/tokens', { ...VIA_NGINX, token: PRIMARY_TOKEN, json: { token_name: 'Pixel_6' } });
    expect(response.status).toBe(200);
    const [line, ...rest] = auditLines();
    expect(rest).toEqual([]);
    expect(Object.keys(line ?? {}).sort()).toEqual(['clientAddress', 'method', 'path', 'status', 'time', 'tokenName']);
    expect(line).toMatchObject({ tokenName: 'primary_token', clientAddress: '203.0.113.5', method: 'DELETE', path: '/auth/tokens', status: 200 });
    expect(Date.now() - Date.parse(String(line?.time))).toBeLessThan(60_000);
  });

  it('records a refused mutation with its status', async () => {
    await app.send('DELETE', '/auth/tokens', { token: PRIMARY_TOKEN, json: { token_name: 'nobody' } });
    expect(auditLines()).toMatchObject([{ method: 'DELETE', status: 404, tokenName: 'primary_token' }]);
  });

  // The audit goes by route, not by HTTP method. An unknown path or a wrong
  // method has no route, changes nothing and is answered before any token is checked, so anyone
  // could otherwise fill the log with them (this test used to expect both lines).
  it('writes nothing for a POST to an unknown path or a PUT to a path without PUT', async () => {
    expect((await app.send('POST', '/no/such/thing', { token: PRIMARY_TOKEN })).status).toBe(404);
    expect((await app.send('PUT', '/auth/tokens', { token: PRIMARY_TOKEN })).status).toBe(405);
    expect(auditLines()).toEqual([]);
  });

  it('writes nothing for a successful read', async () => {
    expect((await app.send('GET', '/auth/tokens', { token: PRIMARY_TOKEN })).status).toBe(200);
    expect((await app.send('GET', '/api/version')).status).toBe(200);
    expect(auditLines()).toEqual([]);
  });
});

describe('audit log of failed authentication', () => {
  it('records a read with a wrong token or without one, with no token name', async () => {
    await app.send('GET', '/auth/tokens', { ...VIA_NGINX, token: 'not-a-token' });
    await app.send('GET', '/auth/recovery_token');
    expect(auditLines()).toMatchObject([
      { method: 'GET', path: '/auth/tokens', status: 401, tokenName: null, clientAddress: '203.0.113.5' },
      { method: 'GET', path: '/auth/recovery_token', status: 401, tokenName: null },
    ]);
  });

  // A client's refusals beyond ten a minute go into the minute's summary line
  // (test/unit/security/audit-flood.test.ts); this test used to expect the 429 written on its own line.
  it('records the wrong mnemonics a client may try in a minute, and not the 429s that follow one by one', async () => {
    const guess = { ...VIA_NGINX, json: { token: 'abandon '.repeat(11) + 'about', device: 'x' } };
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 12; attempt++) statuses.push((await app.send('POST', '/auth/recovery_token/use', guess)).status);
    expect(statuses).toEqual([...Array(10).fill(404), 429, 429]);
    expect(auditLines().map((line) => line.status)).toEqual(Array(10).fill(404));
  });

  it('never writes a body, a bearer token, a mnemonic or a query string', async () => {
    const created = await app.send('POST', '/auth/recovery_token', { token: PRIMARY_TOKEN, json: {} });
    const { token: mnemonic } = (await created.json()) as { token: string };
    const used = await app.send('POST', '/auth/recovery_token/use?secret=query-secret', { json: { token: mnemonic, device: 'laptop' } });
    const { token: issued } = (await used.json()) as { token: string };
    await app.send('POST', '/auth/tokens', { token: issued });
    await app.send('GET', '/auth/tokens', { token: 'wrong-bearer-secret' });
    const text = fs.readFileSync(temp.paths.auditLog, 'utf8');
    expect(text.trim().split('\n')).toHaveLength(4);
    for (const secret of [PRIMARY_TOKEN, mnemonic, issued, 'query-secret', 'wrong-bearer-secret']) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('audit log file', () => {
  it('is created with mode 0600 in its own folder, whatever the umask', async () => {
    const previous = process.umask(0);
    try {
      await app.send('POST', '/auth/tokens', { token: 'wrong' });
    } finally {
      process.umask(previous);
    }
    expect(temp.paths.auditLog).toBe(path.join(temp.root, 'var/log/selfprivacy-api/audit.log'));
    expect(fs.statSync(temp.paths.auditLog).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(temp.paths.auditLog)).mode & 0o077).toBe(0);
  });

  it('appends to an existing file and narrows a wider mode to 0600', async () => {
    fs.mkdirSync(path.dirname(temp.paths.auditLog), { recursive: true });
    fs.writeFileSync(temp.paths.auditLog, '{"earlier":true}\n', { mode: 0o644 });
    fs.chmodSync(temp.paths.auditLog, 0o644);
    await app.send('POST', '/auth/tokens', { token: 'wrong' });
    expect(auditLines()).toMatchObject([{ earlier: true }, { status: 401 }]);
    expect(fs.statSync(temp.paths.auditLog).mode & 0o777).toBe(0o600);
  });

  it('moves a full file to audit.log.1 and starts a new one', async () => {
    const audit = createAuditLog(temp.paths.auditLog, createLogger('error', () => undefined), { maxBytes: 300 });
    const entry = { time: new Date().toISOString(), tokenName: null, clientAddress: '::1', method: 'POST', path: '/x', status: 401 };
    for (let count = 0; count < 5; count++) await audit.record(entry);
    const rotated = fs.readFileSync(`${temp.paths.auditLog}.1`, 'utf8').trim().split('\n');
    const current = fs.readFileSync(temp.paths.auditLog, 'utf8').trim().split('\n');
    expect(rotated.length + current.length).toBe(5);
    expect(current.length).toBeLessThan(5);
  });

  it('keeps answering, and says so in the log, when the audit log cannot be written', async () => {
    // A file where the folder should be: every append fails.
    fs.mkdirSync(path.join(temp.root, 'var/log'), { recursive: true });
    fs.writeFileSync(path.join(temp.root, 'var/log/selfprivacy-api'), 'in the way');
    const lines: string[] = [];
    const noisy = await makeInProcessApp(temp, { log: createLogger('error', (line) => lines.push(line)) });
    const response = await noisy.send('DELETE', '/auth/tokens', { token: PRIMARY_TOKEN, json: { token_name: 'Pixel_6' } });
    expect(response.status).toBe(200);
    expect(lines.some((line) => line.includes('audit log write failed'))).toBe(true);
  });
});

describe('audit by route: state-changing GET routes', () => {
  // These GET routes change the server; the audit once went by HTTP method and missed them.
  const STATE_CHANGING_GETS = [
    '/system/reboot',
    '/system/configuration/apply',
    '/system/configuration/upgrade',
    '/system/configuration/rollback',
    '/system/configuration/pull',
    '/services/restic/backup/reload',
  ];

  it('records each of them with the device that asked', async () => {
    for (const pathname of STATE_CHANGING_GETS) await app.send('GET', pathname, { token: PRIMARY_TOKEN });
    expect(auditLines().map((line) => [line.method, line.path, line.tokenName])).toEqual(
      STATE_CHANGING_GETS.map((pathname) => ['GET', pathname, 'primary_token']),
    );
  });

  it('are the GET routes marked mutates in routes.json, and every POST, PUT and DELETE route is too', async () => {
    const routes = await allRoutes();
    const servedPaths = (route: LoadedRoute): string[] => concretePaths(route).map(({ path }) => path);
    expect(routes.filter((route) => route.method === 'GET' && route.mutates).flatMap(servedPaths).sort()).toEqual([...STATE_CHANGING_GETS].sort());
    // POST /graphql is no route of routes.json: the GraphQL transport marks its mutations in the request's state.
    expect(routes.filter((route) => route.method !== 'GET' && !route.mutates)).toEqual([]);
  });
});

describe('audit of GraphQL requests (the transport marks its mutations in the request state)', () => {
  it('records a mutation sent to /graphql and not a query', async () => {
    await app.send('POST', '/graphql', { token: PRIMARY_TOKEN, json: { query: '{ api { devices { name } } }' } });
    await app.send('POST', '/graphql', { token: PRIMARY_TOKEN, json: { query: 'mutation Drop { api { deleteDeviceApiToken(device: "Pixel_6") { code } } }' } });
    expect(auditLines()).toMatchObject([
      { method: 'POST', path: '/graphql', status: 200, tokenName: 'primary_token', operation: 'Drop', fields: [{ field: 'api.deleteDeviceApiToken', code: 200 }] },
    ]);
  });
});
