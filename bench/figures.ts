// What the bench measures and reports: the figures of a run, the report's shape, and their medians.

export interface LoadFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Connection errors, timeouts and non-2xx answers. */
  errors: number;
  /** Server CPU time (user + system) per answered request, in microseconds. */
  cpuUsPerRequest: number | null;
}

export interface LoadRow {
  scenario: string;
  kind: 'read' | 'graphql' | 'write';
  ours: LoadFigures;
  baseline: LoadFigures;
  /** Write mix only: userdata.json was valid JSON holding one of the written values afterwards. */
  dataValid?: boolean;
}

export interface Pair {
  ours: number | null;
  baseline: number | null;
}

/** GET /services/status with eight slow stand-in units against one unit on its own. */
export interface StatusCheck {
  statusMs: number;
  unitMs: number;
}

/** The floor against a second copy of itself on one read (ratio second/first): the bench's own spread. */
export interface AaCheck {
  scenario: string;
  ratio: number;
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  node: string;
  platform: string;
  date: string;
  loadAverage: number[];
}

/** The main part: a small server's root, every scenario against the floor, the process checks. */
export interface MainPart {
  loads: LoadRow[];
  coldStartMs: Pair;
  /** The most resident memory each server had during the whole run. */
  peakRssMiB: Pair;
  servicesStatus: StatusCheck | null;
  /** Absent in reports made before the bench measured its own spread. */
  aa?: AaCheck;
}

/** The scale part: a large server's root, its heaviest reads and the write mix against the floor. */
export interface ScalePart {
  users: number;
  devices: number;
  /** userdata.json as written to both roots, in bytes. */
  userdataBytes: number;
  loads: LoadRow[];
}

export interface BenchReport {
  machine: MachineInfo;
  /** Each measured figure is the median of `rounds` runs of `durationS`, taken in turns with what it is compared with. */
  settings: { connections: number; durationS: number; warmupS: number; rounds?: number };
  /** One line per scenario or check that could not run, saying why. */
  skipped: string[];
  /** Absent when only the scale part ran (`--part scale`). */
  main?: MainPart;
  /** Absent when only the main part ran (`--part main`), and in reports made before it existed. */
  scale?: ScalePart;
}

/** Several runs of one scenario as one: the median of each figure, and every error counted. */
export function medianFigures(runs: readonly LoadFigures[]): LoadFigures {
  const cpu = runs.map((run) => run.cpuUsPerRequest);
  return {
    requestsPerSecond: median(runs.map((run) => run.requestsPerSecond)),
    p50Ms: median(runs.map((run) => run.p50Ms)),
    p99Ms: median(runs.map((run) => run.p99Ms)),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    cpuUsPerRequest: cpu.includes(null) ? null : median(cpu as number[]),
  };
}

/** The middle value (mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
