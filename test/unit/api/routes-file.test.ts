// routes.json's checks at load time, and the flags the request guard reads from it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readRouteDefinitions } from '../../../kit/routes.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

/** A routes.json of one route, `extra` merged into a valid public POST. */
function routesFileWith(extra: Record<string, unknown>): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'routes-file-'));
  folders.push(folder);
  const route = { method: 'POST', path: '/x', function: 'functions/x/y.ts', public: true, mutates: true, tag: 'x', summary: 'x', ...extra };
  const file = path.join(folder, 'routes.json');
  fs.writeFileSync(file, JSON.stringify({ routes: [route] }));
  return file;
}

describe('routes.json', () => {
  it('flags exactly the mnemonic logins and the reset link page as login routes, and names only REST functions (GraphQL is mounted beside them)', () => {
    const routes = readRouteDefinitions();
    expect(routes.filter((route) => route.login === true).map((route) => `${route.method} ${route.path}`)).toEqual(['POST /auth/new_device/authorize', 'POST /auth/recovery_token/use', 'GET /reset-password', 'POST /reset-password']);
    expect(routes.filter((route) => !route.function.startsWith('functions/'))).toEqual([]);
    expect(() => readRouteDefinitions(routesFileWith({ function: 'graphql/graphql.ts' }))).toThrow();
  });

  it('accepts the flags on a public route', () => {
    expect(readRouteDefinitions(routesFileWith({ login: true }))[0]?.login).toBe(true);
  });

  it('refuses them on a route whose token the runtime checks, and refuses a flag set to false', () => {
    expect(() => readRouteDefinitions(routesFileWith({ public: false, login: true }))).toThrow(/public routes/);
    expect(() => readRouteDefinitions(routesFileWith({ login: false }))).toThrow();
  });
});
