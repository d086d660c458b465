// Builds the server once (`npm run build`: tsc, then the bundle) so integration tests run
// `node dist/runtime/serve.cjs` exactly as `npm run serve` does.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const node = (...args: string[]): void => void execFileSync(process.execPath, args, { cwd: project, stdio: 'inherit' });
  node(path.join(project, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json');
  node(path.join(project, 'dist/scripts/bundle-server.js'));
}
