// The bench's goals and whether a run met them; bench/report.ts renders what these decide.
import type { BenchReport, LoadRow, Pair, StatusCheck } from './figures.js';

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
  return verdict(`≥ ${GOALS.write}×, 0 errors, valid file`, fast && writeKeptTheFile(row));
}

/** A write mix counts only when every write was answered 2xx and userdata.json stayed whole. */
function writeKeptTheFile(row: LoadRow): boolean {
  return row.ours.errors === 0 && row.dataValid === true;
}

/**
 * The scale part's goal: on a large server the tail must not grow past the floor's, which reads and
 * parses the whole file on every request. Rates are not the goal there: p99 is what a user waits.
 */
export function scaleVerdict(row: LoadRow): Verdict {
  const tailKept = row.ours.p99Ms <= row.baseline.p99Ms;
  if (row.kind !== 'write') return verdict("p99 ≤ floor's p99", tailKept);
  return verdict("p99 ≤ floor's p99, 0 errors, valid file", tailKept && writeKeptTheFile(row));
}

/** "At most" goals (cold start, memory): a smaller ratio is better. */
export function atMostVerdict(pair: Pair, limit: number): Verdict {
  const measured = ratio(pair.ours, pair.baseline);
  return verdict(`≤ ${limit}×`, measured !== null && measured <= limit);
}

export function statusVerdict(check: StatusCheck): Verdict {
  return verdict(`< ${GOALS.servicesStatus}× one unit`, check.statusMs < GOALS.servicesStatus * check.unitMs);
}

/** Every verdict of the report, in table order: the main part's, then the scale part's. */
export function allVerdicts(report: BenchReport): Verdict[] {
  const main = report.main;
  return [
    ...(main === undefined
      ? []
      : [
          ...main.loads.map(loadVerdict),
          atMostVerdict(main.coldStartMs, GOALS.coldStart),
          atMostVerdict(main.peakRssMiB, GOALS.rss),
          ...(main.servicesStatus === null ? [] : [statusVerdict(main.servicesStatus)]),
        ]),
    ...(report.scale?.loads.map(scaleVerdict) ?? []),
  ];
}
