import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { staleBuildReason } from '../../scripts/dist-freshness.mjs';

const CODE_CACHE = 'dist/server/server.cjs.code-cache';
const OUTPUTS = ['dist/runtime/serve.cjs', 'dist/server/server.cjs', CODE_CACHE];
let project: string;

/** A code cache's first bytes as runtime/server-bundle.cts writes them: the tag of the V8 that made it. */
function codeCacheMadeBy(tag: number): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32LE(tag);
  return Buffer.concat([header, Buffer.from('the rest of the cache')]);
}

function write(relative: string, secondsAgo: number): void {
  const file = path.join(project, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, relative === CODE_CACHE ? codeCacheMadeBy(v8.cachedDataVersionTag()) : relative);
  const time = new Date(Date.now() - secondsAgo * 1000);
  // The file and its folders up to the project: creating them counted as changes too.
  for (let entry = file; entry !== project; entry = path.dirname(entry)) fs.utimesSync(entry, time, time);
}

beforeEach(() => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-freshness-'));
  write('runtime/server.ts', 100);
  write('functions/users/list-users.ts', 100);
  write('routes.json', 100);
  for (const output of OUTPUTS) write(output, 50);
});
afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

describe('npm run serve: build only when a source changed (scripts/dist-freshness.mjs)', () => {
  it('finds a build newer than every source fresh', () => {
    expect(staleBuildReason(project)).toBeNull();
  });

  it('wants a build when an output is missing', () => {
    fs.rmSync(path.join(project, CODE_CACHE));
    expect(staleBuildReason(project)).toBe('dist/server/server.cjs.code-cache is missing');
  });

  it('wants a build when the code cache was made by another Node, whose V8 this one would refuse', () => {
    const time = fs.statSync(path.join(project, CODE_CACHE)).mtime;
    fs.writeFileSync(path.join(project, CODE_CACHE), codeCacheMadeBy((v8.cachedDataVersionTag() + 1) >>> 0));
    fs.utimesSync(path.join(project, CODE_CACHE), time, time);
    expect(staleBuildReason(project)).toBe(`dist/server/server.cjs.code-cache was made by another Node (${process.version} runs)`);
    fs.writeFileSync(path.join(project, CODE_CACHE), 'ab');
    fs.utimesSync(path.join(project, CODE_CACHE), time, time);
    expect(staleBuildReason(project)).toMatch(/was made by another Node/);
  });

  it('wants a build when a source file deep in a folder, or routes.json, changed after it', () => {
    write('functions/users/list-users.ts', 10);
    expect(staleBuildReason(project)).toBe('functions/ changed since the last build');
    write('functions/users/list-users.ts', 100);
    write('routes.json', 10);
    expect(staleBuildReason(project)).toBe('routes.json changed since the last build');
  });

  it('wants a build when a source file was removed (its folder changed)', () => {
    fs.rmSync(path.join(project, 'functions/users/list-users.ts'));
    expect(staleBuildReason(project)).toBe('functions/ changed since the last build');
  });

  it('goes by the oldest output: a bundle older than tsc\'s output is stale', () => {
    write('dist/server/server.cjs', 200);
    expect(staleBuildReason(project)).toBe('runtime/ changed since the last build');
  });
});
