// `npm run bench:compare -- <folder A> <folder B>`: two builds of this server on the same scenarios,
// in turns, to tell whether a change pays: server CPU per request and req/s, medians, B against A.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { filesSettled, makeBenchData, makeBenchRoot, ourServerEnv, type BenchRoot } from './bench-root.js';
import { driveInTurns, loadSettings } from './load.js';
import { ratio } from './goals.js';
import { formatCount, formatMicros, formatRatio, markdownTable } from './report.js';
import { benchScenarios, graphqlScenarios } from './scenarios.js';
import { SERVER_NODE_FLAGS } from '../runtime/node-flags.js';
import { startBenchServer, type BenchServer } from './server-process.js';

const USAGE = 'usage: npm run bench:compare -- <build folder A> <build folder B> [--only "GET /users,POST /graphql AllUsers"] [--rounds 7] [--duration 3]';

function options() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      only: { type: 'string' },
      // More runs than `npm run bench`: a change worth a few percent needs them on a shared machine.
      rounds: { type: 'string', default: '7' },
      duration: { type: 'string', default: '3' },
      warmup: { type: 'string', default: '1' },
      connections: { type: 'string', default: '16' },
    },
  });
  if (positionals.length !== 2) throw new Error(USAGE);
  const scripts = positionals.map((folder) => path.resolve(folder, 'dist/runtime/serve.cjs'));
  for (const script of scripts) {
    if (!fs.existsSync(script)) throw new Error(`${script} is missing: run npm ci and npm run build in that folder first\n${USAGE}`);
  }
  return { folders: positionals, scripts, only: values.only?.split(',').map((name) => name.trim()), settings: loadSettings(values) };
}

async function main(): Promise<void> {
  const { folders, scripts, only, settings } = options();
  const data = makeBenchData();
  const scenarios = [...benchScenarios(data), ...graphqlScenarios()].filter((scenario) => only === undefined || only.includes(scenario.name));
  if (scenarios.length === 0) throw new Error(`no scenario is named ${JSON.stringify(only)}`);
  const roots: BenchRoot[] = scripts.map((_, index) => makeBenchRoot(data, `build-${index}`));
  const servers: BenchServer[] = [];
  const rows: string[][] = [];
  try {
    for (const [index, script] of scripts.entries()) {
      const root = roots[index]!;
      servers.push(await startBenchServer({ script, nodeFlags: SERVER_NODE_FLAGS, root: root.root, logFile: root.logFile, env: ourServerEnv(root) }));
    }
    await filesSettled(roots);
    for (const scenario of scenarios) {
      console.log(`${scenario.name}: A and B in turns…`);
      const [a, b] = await driveInTurns(servers.map((server) => ({ server, scenario })), data.token, settings);
      rows.push([
        scenario.name,
        formatMicros(a!.cpuUsPerRequest),
        formatMicros(b!.cpuUsPerRequest),
        formatRatio(ratio(b!.cpuUsPerRequest, a!.cpuUsPerRequest)),
        formatCount(a!.requestsPerSecond),
        formatCount(b!.requestsPerSecond),
        formatRatio(ratio(b!.requestsPerSecond, a!.requestsPerSecond)),
        `${a!.errors} / ${b!.errors}`,
      ]);
    }
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    for (const root of roots) root.cleanup();
  }
  console.log(`\nA: ${folders[0]}\nB: ${folders[1]}\n${settings.rounds} runs of ${settings.durationS} s each in turns, medians\n`);
  console.log(markdownTable(['scenario', 'CPU µs/req A', 'CPU µs/req B', 'B/A CPU', 'req/s A', 'req/s B', 'B/A req/s', 'errors A / B'], rows, [false, true, true, true, true, true, true, true]));
}

await main();
