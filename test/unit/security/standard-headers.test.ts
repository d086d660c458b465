import fs from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { FailureLimiter } from '../../../runtime/rate-limit.js';
import { json } from '../../../kit/respond.js';
import { PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { allRoutes, makeInProcessApp, type InProcessApp } from '../../helpers/in-process-app.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();
let app: InProcessApp;
beforeEach(async () => {
  const never = { method: 'GET' as const, path: '/never', function: 'functions/test/never.ts', public: true, mutates: false, tag: 'test', summary: 'test', module: { default: () => new Promise<Response>(() => undefined) } };
  const custom = { method: 'GET' as const, path: '/own-cache', function: 'functions/test/own.ts', public: true, mutates: false, tag: 'test', summary: 'test', module: { default: () => json({}, 200, { 'cache-control': 'max-age=60' }) } };
  app = await makeInProcessApp(temp, {
    routes: [...(await allRoutes()), never, custom],
    guard: { requestTimeoutMs: 1500, limiter: new FailureLimiter({ maxFailures: 1 }) },
  });
});

function expectStandardHeaders(response: Response): void {
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(response.headers.get('content-type')).toBe('application/json');
}

describe('headers on every answer', () => {
  it.each([
    [200, () => app.send('GET', '/api/version')],
    [400, () => app.send('POST', '/auth/new_device/authorize', { body: '{not json', headers: { 'content-type': 'application/json' } })],
    [401, () => app.send('GET', '/auth/tokens')],
    [404, () => app.send('GET', '/no/such/path')],
    [405, () => app.send('PATCH', '/auth/tokens', { token: PRIMARY_TOKEN })],
    [413, () => app.send('POST', '/auth/tokens', { token: PRIMARY_TOKEN, body: 'x'.repeat(70 * 1024) })],
    [503, () => app.send('GET', '/never')],
  ])('sets nosniff and no-store on a %i', async (status, send) => {
    const response = await send();
    expect(response.status).toBe(status);
    expectStandardHeaders(response);
  });

  it('sets them on a 429', async () => {
    await app.send('GET', '/auth/tokens', { token: 'wrong' });
    const response = await app.send('GET', '/auth/tokens', { token: 'wrong' });
    expect(response.status).toBe(429);
    expectStandardHeaders(response);
  });

  it('sets them on a 500 (tokens.json corrupt), whose body holds no detail', async () => {
    fs.writeFileSync(temp.paths.tokens, '{"tokens": [');
    const response = await app.send('GET', '/auth/tokens', { token: PRIMARY_TOKEN });
    expect(response.status).toBe(500);
    expectStandardHeaders(response);
    expect(await response.text()).not.toMatch(/at .*\.ts|\/tmp\//);
  });

  it('keeps a Cache-Control a function chose itself', async () => {
    const response = await app.send('GET', '/own-cache');
    expect(response.headers.get('cache-control')).toBe('max-age=60');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
