// Drives one server with autocannon for one scenario: a warm-up, then the measured run.
import autocannon from 'autocannon';
import { medianFigures, type LoadFigures } from './figures.js';
import type { Scenario } from './scenarios.js';
import type { BenchServer } from './server-process.js';

export interface LoadSettings {
  connections: number;
  durationS: number;
  warmupS: number;
  /** How many runs driveInTurns makes of each side. */
  rounds: number;
}

/** The command line's --duration, --rounds, --warmup and --connections, checked before anything starts. */
export function loadSettings(values: { duration: string; rounds: string; warmup: string; connections: string }): LoadSettings {
  const settings = { durationS: Number(values.duration), rounds: Number(values.rounds), warmupS: Number(values.warmup), connections: Number(values.connections) };
  // A typo would otherwise show up minutes later as a run of nothing, or a median of no runs.
  for (const [name, value] of Object.entries(settings)) {
    const least = name === 'warmupS' ? 0 : 1;
    if (!Number.isInteger(value) || value < least) throw new Error(`--${name.replace(/S$/, '')} must be a whole number of at least ${least}`);
  }
  return settings;
}

/** One side of a comparison: a scenario on a server. */
export interface LoadSide {
  server: BenchServer;
  scenario: Scenario;
}

/**
 * Both sides of a comparison, run after run in turns (who goes first alternates), each warmed up
 * once: a drift in the machine's speed then falls on both sides alike, where back-to-back runs on a
 * shared machine put the two sides far apart (docs/benchmarks.md). Medians of the runs.
 */
export async function driveInTurns(sides: readonly LoadSide[], token: string, settings: LoadSettings): Promise<LoadFigures[]> {
  const runs: LoadFigures[][] = sides.map(() => []);
  for (let round = 0; round < settings.rounds; round++) {
    const order = sides.map((_, index) => index);
    if (round % 2 === 1) order.reverse();
    for (const index of order) {
      const { server, scenario } = sides[index]!;
      runs[index]!.push(await driveLoad(server, token, scenario, { ...settings, warmupS: round === 0 ? settings.warmupS : 0 }));
    }
  }
  return runs.map(medianFigures);
}

export async function driveLoad(server: BenchServer, token: string, scenario: Scenario, settings: LoadSettings): Promise<LoadFigures> {
  const options = {
    url: server.url,
    connections: settings.connections,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    requests: scenario.requests,
  };
  if (settings.warmupS > 0) await autocannon({ ...options, duration: settings.warmupS });
  const cpuBefore = server.cpuMs();
  const result = await autocannon({ ...options, duration: settings.durationS });
  const cpuAfter = server.cpuMs();
  const answered = result.requests.total;
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    // Connection errors and timeouts, and any answer that is not 2xx.
    errors: result.errors + result.non2xx,
    // Steadier than req/s on a shared machine: what one request cost the server.
    cpuUsPerRequest: cpuBefore === null || cpuAfter === null || answered === 0 ? null : ((cpuAfter - cpuBefore) * 1000) / answered,
  };
}
