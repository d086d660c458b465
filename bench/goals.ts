// The bench's goals and whether a run met them; bench/report.ts renders what these decide.
import type { BenchReport, LoadRow, Pair, StatusCheck } from './report.js';

/** The goals, as ratios ours/baseline measured in one run (GraphQL reads against the GraphQL floor). */
export const GOALS = { read: 0.9, graphql: 0.8, write: 0.5, coldStart: 1.3, rss: 1.2, servicesStatus: 2 } as const;

export interface Verdict {
  goal: string;
  met: boolean;
}

export function ratio(ours: number | null, baseline: number | null): number | null {
  if (ours === null || baseline === null || baseline === 0) return null;
  return ours / baseline;
}

function verdict(goal: string, met: boolean): Verdict {
  return { goal, met };
}

export function loadVerdict(row: LoadRow): Verdict {
  const measured = ratio(row.ours.requestsPerSecond, row.baseline.requestsPerSecond);
  if (row.kind !== 'write') {
    const goal = GOALS[row.kind];
    return verdict(`≥ ${goal}×`, measured !== null && measured >= goal);
  }
  const fast = measured !== null && measured >= GOALS.write;
  return verdict(`≥ ${GOALS.write}×, 0 errors, valid file`, fast && row.ours.errors === 0 && row.dataValid === true);
}

/** "At most" goals (cold start, memory): a smaller ratio is better. */
export function atMostVerdict(pair: Pair, limit: number): Verdict {
  const measured = ratio(pair.ours, pair.baseline);
  return verdict(`≤ ${limit}×`, measured !== null && measured <= limit);
}

export function statusVerdict(check: StatusCheck): Verdict {
  return verdict(`< ${GOALS.servicesStatus}× one unit`, check.statusMs < GOALS.servicesStatus * check.unitMs);
}

/** Every verdict of the report, in table order. */
export function allVerdicts(report: BenchReport): Verdict[] {
  return [
    ...report.loads.map(loadVerdict),
    atMostVerdict(report.coldStartMs, GOALS.coldStart),
    atMostVerdict(report.peakRssMiB, GOALS.rss),
    ...(report.servicesStatus === null ? [] : [statusVerdict(report.servicesStatus)]),
  ];
}
