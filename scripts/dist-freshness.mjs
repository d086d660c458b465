// Tells whether dist/ was built after the last change to the sources it is built from, so that
// `npm run serve` (and the integration tests' set-up) build only when something changed.
// Plain JavaScript, because it runs before there is a build. Run as a script it exits 0 when the
// build is up to date and 1 when it must be made (the shell of the npm script then builds).
// A build tool, not the server: it asks Node for its V8 tag under the server's flags, argument array only.
// eslint-disable-next-line no-restricted-imports
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What `npm run build` reads: the folders tsconfig.build.json compiles, and the files around them. */
const SOURCE_FOLDERS = ['core', 'jobs', 'runtime', 'kit', 'graphql', 'store', 'functions', 'migrations', 'domain', 'backups', 'scripts', 'bench'];
const SOURCE_FILES = ['routes.json', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];

/** What the build writes, in this order: tsc's output, then the bundle, then its code cache. */
const CODE_CACHE = 'dist/server/server.cjs.code-cache';
const BUILD_OUTPUTS = ['dist/runtime/serve.cjs', 'dist/server/server.cjs', CODE_CACHE];

/** The flags the server runs with, from package.json as runtime/node-flags.ts reads them; none without one. */
function serverNodeFlags(projectRoot) {
  const file = path.join(projectRoot, 'package.json');
  if (!fs.existsSync(file)) return [];
  const flags = JSON.parse(fs.readFileSync(file, 'utf8')).config?.serverNodeFlags ?? '';
  return flags.split(' ').filter(Boolean);
}

/**
 * The V8 tag of this Node when it runs with `flags` (Node 20's V8 counts heap sizes in it too): its
 * own when it runs with them (as the npm scripts start it), else a node started with them says.
 */
function v8TagWith(flags) {
  if (flags.every((flag) => process.execArgv.includes(flag))) return v8.cachedDataVersionTag();
  return Number(execFileSync(process.execPath, [...flags, '-p', 'require("node:v8").cachedDataVersionTag()'], { encoding: 'utf8' }).trim());
}

/**
 * Whether the server's Node can take the code cache: runtime/server-bundle.cts begins the file with
 * the tag of the V8 that made it, and V8 refuses a cache from another version or other flags. A
 * build made by another Node (switching Node lines, or CI running the tests on two) is made again.
 */
function codeCacheFitsServerNode(file, flags) {
  const tag = Buffer.alloc(4);
  const descriptor = fs.openSync(file, 'r');
  try {
    if (fs.readSync(descriptor, tag, 0, tag.length, 0) < tag.length) return false;
  } finally {
    fs.closeSync(descriptor);
  }
  return tag.readUInt32LE(0) === v8TagWith(flags);
}

/** The newest change under `folder`: files, and folders too (removing or renaming a file changes its folder). */
function newestChange(folder) {
  let newest = fs.statSync(folder).mtimeMs;
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const entryPath = path.join(folder, entry.name);
    const changed = entry.isDirectory() ? newestChange(entryPath) : fs.statSync(entryPath).mtimeMs;
    if (changed > newest) newest = changed;
  }
  return newest;
}

/** Why dist/ must be built again, or null when every output is newer than every source. */
export function staleBuildReason(projectRoot = PROJECT_ROOT) {
  let oldestOutput = Infinity;
  for (const output of BUILD_OUTPUTS) {
    const file = path.join(projectRoot, output);
    if (!fs.existsSync(file)) return `${output} is missing`;
    oldestOutput = Math.min(oldestOutput, fs.statSync(file).mtimeMs);
  }
  for (const folder of SOURCE_FOLDERS) {
    const folderPath = path.join(projectRoot, folder);
    if (fs.existsSync(folderPath) && newestChange(folderPath) > oldestOutput) return `${folder}/ changed since the last build`;
  }
  for (const file of SOURCE_FILES) {
    const filePath = path.join(projectRoot, file);
    if (fs.existsSync(filePath) && fs.statSync(filePath).mtimeMs > oldestOutput) return `${file} changed since the last build`;
  }
  // Last: it may start a node to learn the tag, which a build stale for another reason can skip.
  if (!codeCacheFitsServerNode(path.join(projectRoot, CODE_CACHE), serverNodeFlags(projectRoot))) return `${CODE_CACHE} was made by another Node (${process.version} runs)`;
  return null;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const reason = staleBuildReason();
  if (reason !== null) process.stderr.write(`building: ${reason}\n`);
  process.exitCode = reason === null ? 0 : 1;
}
