// Builds the server (`npm run build`: tsc, then the bundle) before the tests that run dist/, so
// they run `node dist/runtime/serve.cjs` exactly as `npm run serve` does. Once per run, and only
// when a source changed since the last build; in watch mode again before a rerun if one did.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { SERVER_NODE_FLAGS } from '../../runtime/node-flags.js';
import { staleBuildReason } from '../../scripts/dist-freshness.mjs';

const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function buildIfStale(): void {
  const reason = staleBuildReason(PROJECT);
  if (reason === null) return;
  process.stderr.write(`building dist/: ${reason}\n`);
  const node = (...args: string[]): void => void execFileSync(process.execPath, args, { cwd: PROJECT, stdio: 'inherit' });
  node(path.join(PROJECT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json');
  // As `npm run build` does: the code cache is made under the flags the server runs with.
  node(...SERVER_NODE_FLAGS, path.join(PROJECT, 'dist/scripts/bundle-server.js'));
}

export default function setup(project: TestProject): void {
  buildIfStale();
  project.onTestsRerun(() => buildIfStale());
}
