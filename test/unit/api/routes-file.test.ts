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
  it('flags exactly the mnemonic logins and the reset link page as login routes, and GraphQL as checking its own token', () => {
    const routes = readRouteDefinitions();
    const flagged = (flag: 'login' | 'checksOwnToken'): string[] => routes.filter((route) => route[flag] === true).map((route) => `${route.method} ${route.path}`);
    expect(flagged('login')).toEqual(['POST /auth/new_device/authorize', 'POST /auth/recovery_token/use', 'GET /reset-password', 'POST /reset-password']);
    expect(flagged('checksOwnToken')).toEqual(['GET /graphql', 'POST /graphql']);
  });

  it('accepts the flags on a public route', () => {
    expect(readRouteDefinitions(routesFileWith({ login: true }))[0]?.login).toBe(true);
    expect(readRouteDefinitions(routesFileWith({ checksOwnToken: true }))[0]?.checksOwnToken).toBe(true);
  });

  it('refuses them on a route whose token the runtime checks, and refuses a flag set to false', () => {
    expect(() => readRouteDefinitions(routesFileWith({ public: false, login: true }))).toThrow(/public routes/);
    expect(() => readRouteDefinitions(routesFileWith({ public: false, checksOwnToken: true }))).toThrow(/public routes/);
    expect(() => readRouteDefinitions(routesFileWith({ login: false }))).toThrow();
  });
});
