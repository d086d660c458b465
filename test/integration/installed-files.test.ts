// The server as the Nix package installs it: a folder holding only the files nix/runtime-files names.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PROJECT_ROOT } from '../../kit/project-files.js';
import { DOCS_ASSET_NAMES } from '../../kit/docs-assets.js';
import { PRIMARY_TOKEN } from '../helpers/function-call.js';
import { runtimeFiles } from '../helpers/nix-files.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { makeTempRoot, type TempRoot } from '../helpers/temp-root.js';

let installed: string;
let temp: TempRoot;
let server: ServerProcess;

beforeAll(async () => {
  installed = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-installed-'));
  for (const file of runtimeFiles()) {
    fs.mkdirSync(path.dirname(path.join(installed, file)), { recursive: true });
    fs.copyFileSync(path.join(PROJECT_ROOT, file), path.join(installed, file));
    // Read-only, as in the Nix store.
    fs.chmodSync(path.join(installed, file), 0o444);
  }
  temp = makeTempRoot();
  // Started from another folder than the copy, as systemd starts it: nothing may be found through the working folder.
  server = await startServerProcess(temp.root, { ENABLE_SWAGGER: '1' }, { entry: path.join(installed, 'dist/runtime/serve.cjs'), cwd: temp.root });
});

afterAll(async () => {
  await server?.stop();
  temp?.cleanup();
  fs.rmSync(installed, { recursive: true, force: true });
});

describe('the installed files (nix/runtime-files)', () => {
  it('hold nothing of the source tree but what is listed', () => {
    expect(fs.existsSync(path.join(installed, 'routes.json'))).toBe(false);
    expect(fs.existsSync(path.join(installed, 'package.json'))).toBe(false);
    expect(fs.readdirSync(path.join(installed, 'node_modules'))).toEqual(['swagger-ui-dist']);
  });

  it('start the server with the code cache the build wrote', async () => {
    expect((await server.fetch('/api/version')).status).toBe(200);
    expect(server.output()).toContain('"codeCache":"used"');
  });

  it('serve the docs page, every asset it loads, and the OpenAPI document', async () => {
    const page = await server.fetch('/api/docs');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-init.js');
    for (const asset of DOCS_ASSET_NAMES) {
      const answer = await server.fetch(`/api/docs/${asset}`);
      expect(answer.status, asset).toBe(200);
      expect((await answer.text()).length, asset).toBeGreaterThan(100);
    }
    expect((await server.fetch('/api/swagger.json')).status).toBe(200);
  });

  it('run a command (execa, loaded on first use) and write a locked file (proper-lockfile)', async () => {
    const version = await server.fetch('/system/version', { token: PRIMARY_TOKEN });
    expect(version.status).toBe(200);
    expect(((await version.json()) as { system_version: string }).system_version).toMatch(/^Linux /);
    const mnemonic = await server.fetch('/auth/new_device', { method: 'POST', token: PRIMARY_TOKEN });
    expect(mnemonic.status).toBe(200);
    expect(((await mnemonic.json()) as { token: string }).token.split(' ')).toHaveLength(12);
    expect(temp.readTokens().new_device).toBeDefined();
  });

  it('answer /graphql and take a WebSocket subscription (graphql, graphql-ws and ws, loaded on first use)', async () => {
    const answer = await server.fetch('/graphql', { method: 'POST', token: PRIMARY_TOKEN, json: { query: '{ api { version } users { allUsers { username } } }' } });
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { data: { api: { version: string } } }).data.api.version).toBe('3.8.3');
    const client = createClient({
      url: `${server.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { Authorization: `Bearer ${PRIMARY_TOKEN}` },
      retryAttempts: 0,
    });
    // Acknowledged and subscribed: a mutation over the socket is refused by our server, not by a failed connection.
    const outcome = await new Promise<unknown>((resolve) => {
      client.subscribe({ query: '{ api { version } }' }, { next: resolve, error: resolve, complete: () => undefined });
    });
    expect(JSON.stringify(outcome)).toContain('Only subscriptions');
    await client.dispose();
  });
});
