// `npm run bench`: the production server against a bare node:http baseline (the floor), in one run, as ratios.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../kit/project-files.js';
import { SERVER_NODE_FLAGS } from '../runtime/node-flags.js';
import { readRouteDefinitions } from '../kit/routes.js';
import { filesSettled, MAIN_SIZES, makeBenchData, makeBenchRoot, ourServerEnv, SCALE_SIZES, userdataText, type BenchData, type BenchRoot } from './bench-root.js';
import { writeBenchmarksFile } from './benchmarks-file.js';
import { httpCall } from './http-call.js';
import { driveInTurns, loadSettings, type LoadSettings } from './load.js';
import { median, type AaCheck, type BenchReport, type LoadRow, type MachineInfo, type MainPart, type ScalePart, type StatusCheck } from './figures.js';
import { formatMegabytes, renderReport } from './report.js';
import { benchScenarios, graphqlScenarios, isDeclared, scaleScenarios, WRITE_ZONES, type Scenario } from './scenarios.js';
import { startBenchServer, type BenchServer } from './server-process.js';
import { measureServicesStatus } from './services-status.js';

const OURS_SCRIPT = path.join(PROJECT_ROOT, 'dist/runtime/serve.cjs');
const BASELINE_SCRIPT = path.join(PROJECT_ROOT, 'dist/bench/baseline-server.js');
const COLD_STARTS = 5;

interface Contender {
  label: 'ours' | 'baseline';
  script: string;
  /** Ours runs with the flags it is deployed with; the floor as plain `node`. */
  nodeFlags: readonly string[];
  root: BenchRoot;
  env: Record<string, string>;
}

const PARTS = ['main', 'scale', 'all'] as const;
type Part = (typeof PARTS)[number];

function options(): { settings: LoadSettings; output: string; part: Part } {
  const { values } = parseArgs({
    options: {
      // main: the small root, every scenario and the process checks; scale: the large root alone.
      part: { type: 'string', default: 'all' },
      duration: { type: 'string', default: '3' },
      rounds: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '2' },
      connections: { type: 'string', default: '16' },
      output: { type: 'string', default: path.join(PROJECT_ROOT, 'docs', 'benchmarks.md') },
    },
  });
  const part = PARTS.find((name) => name === values.part);
  if (part === undefined) throw new Error(`--part must be one of ${PARTS.join(', ')}`);
  return { settings: loadSettings(values), output: path.resolve(values.output), part };
}

function machine(): MachineInfo {
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    date: new Date().toISOString(),
    loadAverage: os.loadavg(),
  };
}

function contenders(data: BenchData): [Contender, Contender] {
  const ourRoot = makeBenchRoot(data, 'ours');
  return [
    {
      label: 'ours',
      script: OURS_SCRIPT,
      nodeFlags: SERVER_NODE_FLAGS,
      root: ourRoot,
      env: ourServerEnv(ourRoot),
    },
    { label: 'baseline', script: BASELINE_SCRIPT, nodeFlags: [], root: makeBenchRoot(data, 'baseline'), env: {} },
  ];
}

function start(contender: Contender): Promise<BenchServer> {
  return startBenchServer({ script: contender.script, nodeFlags: contender.nodeFlags, root: contender.root.root, logFile: contender.root.logFile, env: contender.env });
}

/** Median time from spawn to the first 200 of /api/version, the two servers taking turns. */
async function coldStarts(pair: [Contender, Contender]): Promise<[number, number]> {
  const times: [number[], number[]] = [[], []];
  for (let round = 0; round < COLD_STARTS; round++) {
    for (const [index, contender] of pair.entries()) {
      const server = await start(contender);
      times[index]!.push(server.coldStartMs);
      await server.stop();
    }
  }
  return [median(times[0]), median(times[1])];
}

/** The text re-serialised without spacing, or as it is when it is not JSON. */
function canonicalJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

/**
 * Sends each request of a scenario once to both servers: both must answer 2xx, and alike. GraphQL
 * answers must be the same bytes (the floor stands for exactly our answer); REST ones the same JSON.
 */
async function checkAnswers(scenario: Scenario, servers: [BenchServer, BenchServer], token: string): Promise<string | null> {
  for (const request of scenario.requests) {
    const answers = await Promise.all(
      servers.map((server) =>
        httpCall(`${server.url}${request.path}`, {
          method: request.method,
          body: request.body,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        }),
      ),
    );
    const [ours, baseline] = answers as [{ status: number; text: string }, { status: number; text: string }];
    if (ours.status >= 300) return `ours answered ${ours.status}: ${ours.text.slice(0, 200)}`;
    if (baseline.status >= 300) return `the baseline answered ${baseline.status}: ${baseline.text.slice(0, 200)}`;
    if (scenario.kind === 'graphql' && ours.text !== baseline.text) {
      return `the answers differ\n    ours:     ${ours.text.slice(0, 300)}\n    baseline: ${baseline.text.slice(0, 300)}`;
    }
    if (canonicalJson(ours.text) !== canonicalJson(baseline.text)) {
      console.warn(`  note: ${scenario.name} answers differ\n    ours:     ${ours.text.slice(0, 160)}\n    baseline: ${baseline.text.slice(0, 160)}`);
    }
  }
  return null;
}

/**
 * The bench's own spread: a second floor against the floor on one read, measured as every row is.
 * Both sides do the same work, so how far the ratio strays from 1 is noise, not a difference.
 */
async function floorAgainstItself(floor: Contender, running: BenchServer, data: BenchData, scenario: Scenario, settings: LoadSettings): Promise<AaCheck> {
  console.log(`A/A: a second baseline against the baseline on ${scenario.name}, in turns…`);
  const again: Contender = { ...floor, root: makeBenchRoot(data, 'baseline-again') };
  const second = await start(again);
  try {
    const [secondFigures, firstFigures] = await driveInTurns([{ server: second, scenario }, { server: running, scenario }], data.token, settings);
    return { scenario: scenario.name, ratio: secondFigures!.requestsPerSecond / firstFigures!.requestsPerSecond };
  } finally {
    await second.stop();
    again.root.cleanup();
  }
}

/** After the write mix: userdata.json parses, holds one of the written zones and lost no user. */
function userdataIntact(root: BenchRoot, data: BenchData): boolean {
  try {
    const userdata = JSON.parse(fs.readFileSync(root.paths.userdata, 'utf8'));
    return (WRITE_ZONES as readonly string[]).includes(userdata.timezone) && userdata.users?.length === data.users.length;
  } catch {
    return false;
  }
}

/** Where a part puts the lines of what it skipped, and what it may measure. */
interface PartContext {
  settings: LoadSettings;
  routes: ReturnType<typeof readRouteDefinitions>;
  skipped: string[];
}

/**
 * Each scenario against the floor on running servers, in turns, after checking both answer alike;
 * reads first: the write mix's last writes leave userdata.json to be read afresh for a while.
 */
async function measureAgainstBaseline(
  scenarios: Scenario[],
  pair: [Contender, Contender],
  servers: [BenchServer, BenchServer],
  data: BenchData,
  context: PartContext,
  label = '',
): Promise<LoadRow[]> {
  const rows: LoadRow[] = [];
  const skip = (scenario: Scenario, why: string): void => {
    console.log(`skip ${label}${scenario.name}: ${why}`);
    context.skipped.push(`${label}${scenario.name}: ${why}`);
  };
  const ordered = [...scenarios.filter((item) => item.kind !== 'write'), ...scenarios.filter((item) => item.kind === 'write')];
  for (const scenario of ordered) {
    const route = scenario.route;
    if (route !== undefined && !isDeclared(route, context.routes)) {
      skip(scenario, `${route.method} ${route.path} is not in routes.json`);
      continue;
    }
    const problem = await checkAnswers(scenario, servers, data.token);
    if (problem !== null) {
      skip(scenario, problem);
      continue;
    }
    console.log(`${label}${scenario.name}: ours and the baseline in turns…`);
    const [ours, baseline] = await driveInTurns([{ server: servers[0], scenario }, { server: servers[1], scenario }], data.token, context.settings);
    const row: LoadRow = { scenario: scenario.name, kind: scenario.kind, ours: ours!, baseline: baseline! };
    if (scenario.kind === 'write') row.dataValid = userdataIntact(pair[0].root, data);
    rows.push(row);
  }
  return rows;
}

/** The small root: cold starts, every scenario, peak memory, the A/A check and GET /services/status. */
async function mainPart(context: PartContext): Promise<MainPart> {
  const data = makeBenchData(MAIN_SIZES);
  const pair = contenders(data);
  try {
    console.log(`cold start: ${COLD_STARTS} starts of each server…`);
    const [oursCold, baselineCold] = await coldStarts(pair);
    const servers = (await Promise.all(pair.map(start))) as [BenchServer, BenchServer];
    try {
      await filesSettled(pair.map((contender) => contender.root));
      const scenarios = [...benchScenarios(data), ...graphqlScenarios()];
      const loads = await measureAgainstBaseline(scenarios, pair, servers, data, context);
      const peakRssMiB = { ours: servers[0].peakRssMiB(), baseline: servers[1].peakRssMiB() };
      const tokens = scenarios.find((scenario) => scenario.name === 'GET /auth/tokens')!;
      const aa = await floorAgainstItself(pair[1], servers[1], data, tokens, context.settings);
      let servicesStatus: StatusCheck | null = null;
      if (isDeclared({ method: 'GET', path: '/services/status' }, context.routes)) {
        console.log('GET /services/status with eight slow units…');
        servicesStatus = await measureServicesStatus(servers[0].url, data.token, pair[0].root.binFolder);
      } else {
        context.skipped.push('GET /services/status check: the route is not in routes.json');
      }
      return { loads, coldStartMs: { ours: oursCold, baseline: baselineCold }, peakRssMiB, aa, servicesStatus };
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
    }
  } finally {
    for (const contender of pair) contender.root.cleanup();
  }
}

/** The large root, on a fresh pair of servers: the reads that grow with the users, and the write mix. */
async function scalePart(context: PartContext): Promise<ScalePart> {
  const data = makeBenchData(SCALE_SIZES);
  const userdataBytes = Buffer.byteLength(userdataText(data));
  console.log(`scale: ${SCALE_SIZES.users} users, ${SCALE_SIZES.devices} devices, userdata.json ${formatMegabytes(userdataBytes)}`);
  const pair = contenders(data);
  try {
    const servers = (await Promise.all(pair.map(start))) as [BenchServer, BenchServer];
    try {
      await filesSettled(pair.map((contender) => contender.root));
      const loads = await measureAgainstBaseline(scaleScenarios(data), pair, servers, data, context, 'scale: ');
      return { ...SCALE_SIZES, userdataBytes, loads };
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
    }
  } finally {
    for (const contender of pair) contender.root.cleanup();
  }
}

async function main(): Promise<void> {
  const { settings, output, part } = options();
  const context: PartContext = { settings, routes: readRouteDefinitions(), skipped: [] };
  const report: BenchReport = { machine: machine(), settings, skipped: context.skipped };
  if (part !== 'scale') report.main = await mainPart(context);
  if (part !== 'main') report.scale = await scalePart(context);

  const rendered = renderReport(report);
  console.log(`\n${rendered}\n`);
  writeBenchmarksFile(output, rendered);
  console.log(`written to ${path.relative(process.cwd(), output) || output}`);
}

await main();
