// The production bundle the build makes (dist/server/server.cjs) and its V8 code cache.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { wordlists } from 'bip39';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../kit/project-files.js';
import { readRouteDefinitions } from '../../kit/routes.js';
import { SERVER_NODE_FLAGS } from '../../runtime/node-flags.js';
import { PRIMARY_TOKEN } from '../helpers/function-call.js';
import { startServerProcess } from '../helpers/server-process.js';
import { makeTempRoot } from '../helpers/temp-root.js';

// The compiled loader, as serve.cjs uses it (the global set-up ran the build).
const loaderFile = path.join(PROJECT_ROOT, 'dist/runtime/server-bundle.cjs');
const loader = createRequire(import.meta.url)(loaderFile) as typeof import('../../runtime/server-bundle.cjs');

const copies: string[] = [];
afterEach(() => {
  for (const folder of copies.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

/**
 * How a node started with the server's flags finds the code cache of `file`: V8 takes a cache only
 * under the flags it was made with (Node 20's counts heap sizes too), and this test process has none.
 */
function codeCacheInServerNode(file: string): string {
  const script = `process.stdout.write(require(${JSON.stringify(loaderFile)}).loadBundle(${JSON.stringify(file)}).serverBundle.codeCache); process.exit(0);`;
  return execFileSync(process.execPath, [...SERVER_NODE_FLAGS, '-e', script], { encoding: 'utf8', timeout: 30_000 });
}

/** A copy of the built bundle and its cache in a temporary folder; `edit` changes the bundle's text. */
function copyOfBundle(edit: (text: string) => string = (text) => text): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-bundle-'));
  copies.push(folder);
  const file = path.join(folder, 'server.cjs');
  fs.writeFileSync(file, edit(fs.readFileSync(loader.BUNDLE_FILE, 'utf8')));
  fs.copyFileSync(loader.codeCacheFile(loader.BUNDLE_FILE), loader.codeCacheFile(file));
  return file;
}

describe('the server bundle', () => {
  it('carries routes.json as it is and every function module it names', () => {
    const { exports } = loader.loadBundle(copyOfBundle());
    const definitions = readRouteDefinitions();
    expect(exports.routeDefinitions).toEqual(definitions);
    const functions = new Set(definitions.map((route) => route.function));
    expect(new Set(Object.keys(exports.functionModules))).toEqual(functions);
    for (const source of functions) {
      expect(typeof (exports.functionModules[source] as { default?: unknown }).default, source).toBe('function');
    }
    expect(typeof exports.main).toBe('function');
  });

  it('uses the code cache made with it', () => {
    expect(codeCacheInServerNode(copyOfBundle())).toBe('used');
  });

  it('refuses a cache made for other text of the same length (which V8 alone would take), and still runs', () => {
    const marker = 'Internal server error';
    const file = copyOfBundle((text) => {
      expect(text).toContain(marker);
      return text.replace(marker, 'Internal server errox');
    });
    expect(fs.statSync(file).size).toBe(fs.statSync(loader.BUNDLE_FILE).size);
    expect(codeCacheInServerNode(file)).toBe('stale');
    expect(typeof loader.loadBundle(file).exports.main).toBe('function');
  });

  it('refuses a cache made by another Node (another V8 tag at its start), and still runs', () => {
    const file = copyOfBundle();
    const cache = fs.readFileSync(loader.codeCacheFile(file));
    cache.writeUInt32LE((cache.readUInt32LE(0) + 1) >>> 0, 0);
    fs.writeFileSync(loader.codeCacheFile(file), cache);
    const loaded = loader.loadBundle(file);
    expect(loaded.serverBundle.codeCache).toBe('rejected');
    expect(typeof loaded.exports.main).toBe('function');
  });

  it('runs without a cache', () => {
    const file = copyOfBundle();
    fs.rmSync(loader.codeCacheFile(file));
    const loaded = loader.loadBundle(file);
    expect(loaded.serverBundle.codeCache).toBe('absent');
    expect(Object.keys(loaded.exports.functionModules).length).toBeGreaterThan(0);
  });

  it('is what the production server runs, with its code cache and the English word list', async () => {
    const temp = makeTempRoot();
    const server = await startServerProcess(temp.root);
    try {
      expect((await server.fetch('/api/version')).status).toBe(200);
      expect(server.output()).toContain('"codeCache":"used"');
      // The bundle leaves bip39's other languages out; the mnemonics must still be English words.
      const answer = (await (await server.fetch('/auth/new_device', { method: 'POST', token: PRIMARY_TOKEN })).json()) as { token: string };
      const words = answer.token.split(' ');
      expect(words).toHaveLength(12);
      for (const word of words) expect(wordlists.english, word).toContain(word);
    } finally {
      await server.stop();
      temp.cleanup();
    }
  });
});
