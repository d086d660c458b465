// Compiles the server once so integration tests run `node dist/...` exactly as `npm run serve` does.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  execFileSync(process.execPath, [path.join(project, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: project,
    stdio: 'inherit',
  });
}
