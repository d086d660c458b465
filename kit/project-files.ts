// Locates the project's own files whether we run from TypeScript sources or compiled dist/.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
// Compiled: dist/<folder>/*.js from tsc, or the bundle dist/server/server.cjs; both sit two folders down.
const compiled = !import.meta.url.endsWith('.ts');

/** The project folder (holding routes.json and package.json). */
export const PROJECT_ROOT = compiled ? path.resolve(here, '..', '..') : path.resolve(here, '..');

/** The loadable module for a source path named in routes.json, e.g. `functions/users/list.ts`. */
export function sourceModulePath(sourcePath: string): string {
  return compiled
    ? path.join(PROJECT_ROOT, 'dist', sourcePath.replace(/\.ts$/, '.js'))
    : path.join(PROJECT_ROOT, sourcePath);
}
