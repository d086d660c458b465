import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { staleBuildReason } from '../../scripts/dist-freshness.mjs';

const OUTPUTS = ['dist/runtime/serve.cjs', 'dist/server/server.cjs', 'dist/server/server.cjs.code-cache'];
let project: string;

function write(relative: string, secondsAgo: number): void {
  const file = path.join(project, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, relative);
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
    fs.rmSync(path.join(project, 'dist/server/server.cjs.code-cache'));
    expect(staleBuildReason(project)).toBe('dist/server/server.cjs.code-cache is missing');
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
