// The bench's report: ratios, goal verdicts, the table and the docs/benchmarks.md section it rewrites.
import { describe, expect, it } from 'vitest';
import { BEGIN_MARKER, END_MARKER, withGeneratedSection } from '../../../bench/benchmarks-file.js';
import { allVerdicts, loadVerdict, ratio, scaleVerdict } from '../../../bench/goals.js';
import { median, medianFigures, type BenchReport, type LoadRow, type MainPart } from '../../../bench/figures.js';
import { formatLatency, formatMs, formatRatio, markdownTable, renderReport } from '../../../bench/report.js';

const figures = (requestsPerSecond: number, errors = 0) => ({ requestsPerSecond, p50Ms: 0, p99Ms: 12, errors, cpuUsPerRequest: 1e6 / requestsPerSecond });

const SCENARIO_OF_KIND = { read: 'GET /users', graphql: 'POST /graphql AllUsers', write: 'PUT /system/configuration/timezone' } as const;

function row(kind: LoadRow['kind'], ours: number, baseline: number, extra: Partial<LoadRow> = {}): LoadRow {
  return { scenario: SCENARIO_OF_KIND[kind], kind, ours: figures(ours), baseline: figures(baseline), ...extra };
}

/** A report with the main part only, `main` changing its figures and `overrides` the rest. */
function report(main: Partial<MainPart> = {}, overrides: Partial<BenchReport> = {}): BenchReport {
  return {
    machine: { cpus: 2, cpuModel: 'Test CPU', node: 'v20.0.0', platform: 'linux x64', date: '2025-01-01T00:00:00.000Z', loadAverage: [0.5, 0.25, 0] },
    settings: { connections: 16, durationS: 10, warmupS: 2 },
    skipped: [],
    main: {
      loads: [row('read', 9000, 10000), row('write', 1500, 3000, { dataValid: true })],
      coldStartMs: { ours: 120, baseline: 100 },
      peakRssMiB: { ours: 60, baseline: 50 },
      servicesStatus: { statusMs: 70, unitMs: 55 },
      ...main,
    },
    ...overrides,
  };
}

describe('ratios', () => {
  it('divides ours by the baseline and gives null when either side is missing or the baseline is zero', () => {
    expect(ratio(90, 100)).toBeCloseTo(0.9);
    expect(ratio(null, 100)).toBeNull();
    expect(ratio(90, 0)).toBeNull();
  });

  it('formats ratios with two decimals and milliseconds by size', () => {
    expect(formatRatio(0.8049)).toBe('0.80×');
    expect(formatRatio(null)).toBe('n/a');
    expect(formatMs(1.25)).toBe('1.3 ms');
    expect(formatMs(123.4)).toBe('123 ms');
    expect(formatLatency(0)).toBe('<1 ms');
    expect(formatLatency(3)).toBe('3 ms');
  });

  it('takes the median of odd and even counts', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('makes runs of one scenario one figure: the median of each measure, every error counted', () => {
    const runs = [
      { requestsPerSecond: 900, p50Ms: 3, p99Ms: 9, errors: 1, cpuUsPerRequest: 300 },
      { requestsPerSecond: 1200, p50Ms: 2, p99Ms: 30, errors: 0, cpuUsPerRequest: 200 },
      { requestsPerSecond: 1000, p50Ms: 2, p99Ms: 8, errors: 2, cpuUsPerRequest: 250 },
    ];
    expect(medianFigures(runs)).toEqual({ requestsPerSecond: 1000, p50Ms: 2, p99Ms: 9, errors: 3, cpuUsPerRequest: 250 });
    expect(medianFigures([...runs, { ...runs[0]!, cpuUsPerRequest: null }]).cpuUsPerRequest).toBeNull();
  });
});

describe('goal verdicts', () => {
  it('meets the REST read goal at exactly 0.9× and misses it just below', () => {
    expect(loadVerdict(row('read', 9000, 10000)).met).toBe(true);
    expect(loadVerdict(row('read', 8999, 10000)).met).toBe(false);
  });

  it('meets the GraphQL read goal (against the GraphQL floor) at exactly 0.8× and misses it just below', () => {
    expect(loadVerdict(row('graphql', 8000, 10000))).toEqual({ goal: '≥ 0.8×', met: true });
    expect(loadVerdict(row('graphql', 7999, 10000)).met).toBe(false);
  });

  it('misses the write goal when ours had errors or the file was not valid, however fast', () => {
    expect(loadVerdict(row('write', 3000, 3000, { dataValid: true })).met).toBe(true);
    expect(loadVerdict({ ...row('write', 3000, 3000, { dataValid: true }), ours: figures(3000, 1) }).met).toBe(false);
    expect(loadVerdict(row('write', 3000, 3000, { dataValid: false })).met).toBe(false);
  });

  it('judges cold start, memory and the status check as "at most" ratios', () => {
    const verdicts = allVerdicts(report({ coldStartMs: { ours: 151, baseline: 100 }, peakRssMiB: { ours: 60, baseline: 50 }, servicesStatus: { statusMs: 110, unitMs: 55 } }));
    expect(verdicts.map((verdict) => verdict.met)).toEqual([true, true, false, true, false]);
  });
});

describe('rendered report', () => {
  it('shows each scenario with both rates, the ratio and the verdict', () => {
    const text = renderReport(report());
    expect(text).toMatch(/\| GET \/users +\| +9,000 \| +10,000 \| +0\.90× \| +<1 ms \/ 12 ms \| +<1 ms \/ 12 ms \| +0 \/ 0 \| +111 \/ 100 \|/);
    expect(text).toContain('≥ 0.9× met');
    expect(text).toMatch(/cold start.*\| +120 ms \| +100 ms \| +1\.20× \| ≤ 1\.3× met/);
    expect(text).toContain('Node v20.0.0');
    expect(text).toContain('10 s per scenario after a 2 s warm-up');
    expect(text).toContain('All 5 goals met.');
  });

  it('says how many runs in turns each figure is the median of', () => {
    const text = renderReport(report({}, { settings: { connections: 16, durationS: 4, warmupS: 2, rounds: 3 } }));
    expect(text).toContain('3 runs of 4 s per scenario, taken in turns with what it is compared with, after a 2 s warm-up; each figure is the median of its runs');
  });

  it('counts missed goals and lists skipped scenarios with their reason', () => {
    const text = renderReport(report({ loads: [row('read', 5000, 10000)], servicesStatus: null }, { skipped: ['GET /users: not in routes.json'] }));
    expect(text).toContain('≥ 0.9× **not met**');
    expect(text).toContain('- skipped: GET /users: not in routes.json');
    expect(text).toContain('1 of 3 goals not met.');
  });

  it('pads every column to one width and right-aligns numbers', () => {
    const table = markdownTable(['name', 'n'], [['a', '1'], ['longer', '100']], [false, true]).split('\n');
    expect(table).toEqual(['| name   |   n |', '| ------ | --: |', '| a      |   1 |', '| longer | 100 |']);
  });
});

describe('docs/benchmarks.md section', () => {
  it('replaces only the generated section and keeps the notes around it', () => {
    const existing = `# Benchmarks\n\nnotes before\n\n${BEGIN_MARKER}\nold table\n${END_MARKER}\n\nnotes after\n`;
    const updated = withGeneratedSection(existing, 'new table\n');
    expect(updated).toBe(`# Benchmarks\n\nnotes before\n\n${BEGIN_MARKER}\nnew table\n${END_MARKER}\n\nnotes after\n`);
  });

  it('starts a new file, or appends the section to a file without markers', () => {
    expect(withGeneratedSection(null, 'table')).toContain(`${BEGIN_MARKER}\ntable\n${END_MARKER}\n`);
    expect(withGeneratedSection('# Mine\n', 'table')).toBe(`# Mine\n\n${BEGIN_MARKER}\ntable\n${END_MARKER}\n`);
  });
});

describe('A/A: the floor against itself', () => {
  it('gives the bench\'s own spread under the table, and no line in reports made without it', () => {
    const text = renderReport(report({ aa: { scenario: 'GET /auth/tokens', ratio: 0.93 } }));
    expect(text).toContain('A/A: a second baseline against the baseline on GET /auth/tokens, measured the same way: 0.93×. A ratio that misses its goal by less than 7% of it misses within the bench\'s own spread.');
    expect(renderReport(report({ aa: { scenario: 'GET /auth/tokens', ratio: 1.12 } }))).toContain('by less than 12% of it');
    expect(renderReport(report())).not.toContain('A/A');
  });
});

describe('GraphQL against the GraphQL floor', () => {
  it('is a row of the same table as the REST reads, beside them, with its own goal', () => {
    const rendered = renderReport(report({ loads: [row('read', 9000, 10000), row('graphql', 6000, 10000)] }));
    expect(rendered).toMatch(/\| GET \/users +\| +9,000 \| +10,000 \| +0\.90× \|.*≥ 0\.9× met +\|\n\| POST \/graphql AllUsers +\| +6,000 \| +10,000 \| +0\.60× \|.*≥ 0\.8× \*\*not met\*\* +\|/);
    expect(rendered).toContain('1 of 5 goals not met.');
  });
});

describe('the scale part', () => {
  const tail = (p99Ms: number, errors = 0) => ({ requestsPerSecond: 1000, p50Ms: 3, p99Ms, errors, cpuUsPerRequest: 900 });
  const scaleRow = (kind: LoadRow['kind'], ours: number, baseline: number, extra: Partial<LoadRow> = {}): LoadRow => ({
    scenario: SCENARIO_OF_KIND[kind],
    kind,
    ours: tail(ours),
    baseline: tail(baseline),
    ...extra,
  });
  const scale = (loads: LoadRow[]) => ({ users: 2000, devices: 200, userdataBytes: 935_613, loads });

  it('meets its goal when our p99 is at most the floor\'s, whatever the rates', () => {
    expect(scaleVerdict(scaleRow('read', 40, 40))).toEqual({ goal: 'p99 ≤ floor\'s p99', met: true });
    expect(scaleVerdict({ ...scaleRow('graphql', 30, 40), ours: { ...tail(30), requestsPerSecond: 10 } }).met).toBe(true);
    expect(scaleVerdict(scaleRow('read', 41, 40)).met).toBe(false);
  });

  it('misses the write mix\'s goal on any error or a broken file, however short the tail', () => {
    expect(scaleVerdict(scaleRow('write', 10, 40, { dataValid: true }))).toEqual({ goal: 'p99 ≤ floor\'s p99, 0 errors, valid file', met: true });
    expect(scaleVerdict({ ...scaleRow('write', 10, 40, { dataValid: true }), ours: tail(10, 1) }).met).toBe(false);
    expect(scaleVerdict(scaleRow('write', 10, 40, { dataValid: false })).met).toBe(false);
    expect(scaleVerdict(scaleRow('write', 50, 40, { dataValid: true })).met).toBe(false);
  });

  it('renders its own table after the main part\'s, tail first, and counts its verdicts with the rest', () => {
    const loads = [scaleRow('read', 45, 40), scaleRow('graphql', 20, 40), scaleRow('write', 10, 12, { dataValid: true })];
    const text = renderReport(report({}, { scale: scale(loads) }));
    expect(text).toContain('Scale: 2,000 users, 200 devices (userdata.json 0.94 MB), both servers on fresh roots, measured as above.');
    expect(text.indexOf('Scale: 2,000 users')).toBeGreaterThan(text.indexOf('cold start'));
    expect(text).toMatch(/\| GET \/users +\| +45 ms \/ 40 ms \| +3 ms \/ 3 ms \| +1,000 \/ 1,000 \| +0 \/ 0 \| +900 \/ 900 \| p99 ≤ floor's p99 \*\*not met\*\* +\|/);
    expect(text).toMatch(/\| POST \/graphql AllUsers +\| +20 ms \/ 40 ms \|.*\| p99 ≤ floor's p99 met +\|/);
    expect(text).toContain('1 of 8 goals not met.');
  });

  it('stands alone when only the scale part ran: no main table, no process checks', () => {
    const text = renderReport({ ...report(), main: undefined, scale: scale([scaleRow('read', 40, 40)]) });
    expect(text).not.toContain('cold start');
    expect(text).not.toContain('ours/baseline |');
    expect(text).toContain('| GET /users');
    expect(text).toContain('All 1 goals met.');
    expect(allVerdicts({ ...report(), scale: scale([scaleRow('read', 40, 40)]) })).toHaveLength(6);
  });
});
