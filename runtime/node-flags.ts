// The flags node runs the production server with, kept in package.json ("config.serverNodeFlags")
// so that the npm scripts, the NixOS wrapper and this module read one list; the systemd unit spells
// it out (test/unit/deploy-files.test.ts holds it to the list). The bench and the integration tests
// start the server with it, so they measure and test what is deployed. The build makes the code
// cache under the same flags: Node 20's V8 refuses a cache made under other heap sizes.
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../kit/project-files.js';

/**
 * `--max-semi-space-size`: V8 sizes the young generation from the machine's memory, and on a large
 * machine lets it grow under load until the server holds several times the memory it needs, for no
 * gain in CPU per request (docs/benchmarks.md, "Memory, writes, scale and start-up"). The cap is
 * about what V8 picks by itself on a server with 2 GB of memory, the size SelfPrivacy servers have.
 */
function readServerNodeFlags(): readonly string[] {
  const packageJson = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { config?: { serverNodeFlags?: string } };
  return (packageJson.config?.serverNodeFlags ?? '').split(' ').filter(Boolean);
}

export const SERVER_NODE_FLAGS = readServerNodeFlags();
