// Drives one server with autocannon for one scenario: a warm-up, then the measured run.
import autocannon from 'autocannon';
import type { LoadFigures } from './report.js';
import type { Scenario } from './scenarios.js';
import type { BenchServer } from './server-process.js';

export interface LoadSettings {
  connections: number;
  durationS: number;
  warmupS: number;
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
