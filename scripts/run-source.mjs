// Runs a TypeScript script of this project straight from its sources (`node scripts/run-source.mjs
// scripts/write-openapi.ts`), through Vite's module runner (Vite is already here for vitest), so
// tools such as `npm run openapi` need no build. Plain JavaScript: it is what makes TypeScript runnable.
import path from 'node:path';
import { runnerImport } from 'vite';

const script = process.argv[2];
if (script === undefined) {
  process.stderr.write('usage: node scripts/run-source.mjs <script.ts>\n');
  process.exit(2);
}
// No vite.config: the sources need nothing but TypeScript's syntax removed.
await runnerImport(path.resolve(script), { configFile: false, logLevel: 'warn' });
