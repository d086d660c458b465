// Second half of `npm run build`: bundles the compiled server (dist/) and every function that
// routes.json names into dist/server/server.cjs, then writes V8's code cache for it.
import fs from 'node:fs';
import path from 'node:path';
import { rolldown, type Plugin } from 'rolldown';
import { PROJECT_ROOT, sourceModulePath } from '../kit/project-files.js';
import { readRouteDefinitions } from '../kit/routes.js';
import { BUNDLE_FILE, loadBundle, writeCodeCache } from '../runtime/server-bundle.cjs';
import { warmUp } from './bundle-warm-up.js';

const ENTRY_ID = '\0server-bundle-entry';

/**
 * The bundle's entry: `main`, routes.json (checked now) and a static table of the function
 * modules in place of their dynamic imports; `startServer` and `createLogger` for the warm-up.
 */
function entrySource(): string {
  const definitions = readRouteDefinitions();
  const functions = [...new Set(definitions.map((route) => route.function))];
  const imports = functions.map((source, index) => `import * as f${index} from ${JSON.stringify(sourceModulePath(source))};`);
  const table = functions.map((source, index) => `  ${JSON.stringify(source)}: f${index},`);
  return [
    `export { main, startServer } from ${JSON.stringify(path.join(PROJECT_ROOT, 'dist/runtime/server.js'))};`,
    `export { createLogger } from ${JSON.stringify(path.join(PROJECT_ROOT, 'dist/runtime/logger.js'))};`,
    ...imports,
    'export const functionModules = {',
    ...table,
    '};',
    `export const routeDefinitions = ${JSON.stringify(definitions)};`,
  ].join('\n');
}

const generatedEntry: Plugin = {
  name: 'server-bundle-entry',
  resolveId: (id) => (id === ENTRY_ID ? id : null),
  load: (id) => (id === ENTRY_ID ? entrySource() : null),
};

/**
 * bip39 loads the word lists of ten languages, each in its own try/catch so that a bundle can
 * leave some out (its source says so). The API speaks English only: the others become modules
 * that throw, which bip39 skips. A third of the bundle's text less to read, compile and keep.
 */
const OTHER_WORD_LIST = /[\\/]bip39[\\/]src[\\/]wordlists[\\/](?!english\.json$)[^\\/]+\.json$/;
const englishWordListOnly: Plugin = {
  name: 'bip39-english-word-list-only',
  load: (id) => (OTHER_WORD_LIST.test(id) ? { code: 'throw new Error("word list left out of the bundle");', moduleType: 'js' } : null),
};

const build = await rolldown({
  input: ENTRY_ID,
  platform: 'node',
  plugins: [generatedEntry, englishWordListOnly],
  logLevel: 'warn',
  // Libraries' production mode: graphql's development checks (a costly instanceOf on every value it
  // resolves) are a third of a GraphQL request's CPU otherwise. Our own code never reads NODE_ENV.
  transform: { define: { 'process.env.NODE_ENV': '"production"' } },
});
await build.write({
  file: BUNDLE_FILE,
  format: 'cjs',
  // One file: execa stays behind a lazy initialiser (its dynamic import), evaluated on the first command.
  codeSplitting: false,
  // A third less text to read and compile at every start; names are kept, as logs show error names.
  minify: true,
  keepNames: true,
  // ASCII only, so V8 keeps the text in one byte per character rather than two.
  charset: 'ascii',
});
await build.close();

// Run the bundle once (its modules, then a server answering a first request), then keep V8's compiled code.
const loaded = loadBundle(BUNDLE_FILE, false);
await warmUp(loaded);
writeCodeCache(loaded);
console.log(`bundle: ${path.relative(PROJECT_ROOT, BUNDLE_FILE)} (${Math.round(fs.statSync(BUNDLE_FILE).size / 1024)} KiB) and its code cache`);
