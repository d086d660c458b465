// Renders the bench's figures as Markdown: ratios against the baseline, the goals' verdicts (bench/goals.ts), tables.
import type { AaCheck, BenchReport, LoadFigures, LoadRow, MachineInfo, MainPart, Pair, ScalePart, StatusCheck } from './figures.js';
import { allVerdicts, atMostVerdict, GOALS, loadVerdict, ratio, scaleVerdict, statusVerdict, type Verdict } from './goals.js';

export function formatRatio(value: number | null): string {
  return value === null ? 'n/a' : `${value.toFixed(2)}×`;
}

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function formatMs(value: number | null): string {
  if (value === null) return 'n/a';
  return value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`;
}

/** Decimal megabytes, as file sizes are usually told. */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(2)} MB`;
}

function verdictText(value: Verdict): string {
  return `${value.goal} ${value.met ? 'met' : '**not met**'}`;
}

/** A Markdown table padded so it also reads well in a terminal. */
export function markdownTable(header: string[], rows: string[][], rightAligned: boolean[]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length), 3));
  const line = (cells: string[]): string =>
    `| ${cells.map((cell, column) => (rightAligned[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join(' | ')} |`;
  const rule = `| ${widths.map((width, column) => (rightAligned[column] ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width))).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** autocannon measures latency in whole milliseconds: 0 means under one. */
export function formatLatency(value: number): string {
  return value < 1 ? '<1 ms' : `${Math.round(value)} ms`;
}

function latencies(figures: LoadFigures): string {
  return `${formatLatency(figures.p50Ms)} / ${formatLatency(figures.p99Ms)}`;
}

/** Whole microseconds, or n/a when the figure could not be read. */
export function formatMicros(value: number | null): string {
  return value === null ? 'n/a' : String(Math.round(value));
}

function cpuPerRequest(figures: LoadFigures): string {
  return formatMicros(figures.cpuUsPerRequest);
}

function oursAndBaseline(row: LoadRow, show: (figures: LoadFigures) => string): string {
  return `${show(row.ours)} / ${show(row.baseline)}`;
}

function loadTable(rows: LoadRow[]): string {
  return markdownTable(
    ['scenario', 'ours req/s', 'baseline req/s', 'ours/baseline', 'ours p50 / p99', 'baseline p50 / p99', 'errors ours / baseline', 'server CPU µs/req ours / baseline', 'goal'],
    rows.map((row) => [
      row.scenario,
      formatCount(row.ours.requestsPerSecond),
      formatCount(row.baseline.requestsPerSecond),
      formatRatio(ratio(row.ours.requestsPerSecond, row.baseline.requestsPerSecond)),
      latencies(row.ours),
      latencies(row.baseline),
      `${row.ours.errors} / ${row.baseline.errors}`,
      `${cpuPerRequest(row.ours)} / ${cpuPerRequest(row.baseline)}`,
      verdictText(loadVerdict(row)),
    ]),
    [false, true, true, true, true, true, true, true, false],
  );
}

function mib(value: number | null): string {
  return value === null ? 'n/a' : `${value.toFixed(1)} MiB`;
}

function processTable(report: MainPart): string {
  const rows = [
    [
      'cold start: spawn → first 200 of /api/version (median of 5)',
      formatMs(report.coldStartMs.ours),
      formatMs(report.coldStartMs.baseline),
      formatRatio(ratio(report.coldStartMs.ours, report.coldStartMs.baseline)),
      verdictText(atMostVerdict(report.coldStartMs, GOALS.coldStart)),
    ],
    [
      'peak RSS over the whole run (VmHWM)',
      mib(report.peakRssMiB.ours),
      mib(report.peakRssMiB.baseline),
      formatRatio(ratio(report.peakRssMiB.ours, report.peakRssMiB.baseline)),
      verdictText(atMostVerdict(report.peakRssMiB, GOALS.rss)),
    ],
  ];
  const status = report.servicesStatus;
  if (status !== null) {
    rows.push([
      'GET /services/status, 8 units of 50 ms (median of 5); baseline: one unit alone',
      formatMs(status.statusMs),
      formatMs(status.unitMs),
      formatRatio(ratio(status.statusMs, status.unitMs)),
      verdictText(statusVerdict(status)),
    ]);
  }
  return markdownTable(['measure', 'ours', 'baseline', 'ours/baseline', 'goal'], rows, [false, true, true, true, false]);
}

/** How far two identical servers measured apart: a goal missed by less is missed within the noise. */
function aaLine(aa: AaCheck): string {
  const spread = Math.abs(1 - aa.ratio) * 100;
  return `A/A: a second baseline against the baseline on ${aa.scenario}, measured the same way: ${formatRatio(aa.ratio)}. A ratio that misses its goal by less than ${spread.toFixed(0)}% of it misses within the bench's own spread.`;
}

function machineLine(machine: MachineInfo): string {
  const load = machine.loadAverage.map((value) => value.toFixed(2)).join(' ');
  return `${machine.date} · ${machine.cpus} CPUs (nproc; ${machine.cpuModel}) · Node ${machine.node} · ${machine.platform} · load average at start ${load}`;
}

/** The scale part's table: the tail first, as its goal is about the tail. */
function scaleTable(rows: LoadRow[]): string {
  return markdownTable(
    [
      'scenario',
      'p99 ours / baseline',
      'p50 ours / baseline',
      'req/s ours / baseline',
      'errors ours / baseline',
      'server CPU µs/req ours / baseline',
      'goal',
    ],
    rows.map((row) => [
      row.scenario,
      oursAndBaseline(row, (figures) => formatLatency(figures.p99Ms)),
      oursAndBaseline(row, (figures) => formatLatency(figures.p50Ms)),
      oursAndBaseline(row, (figures) => formatCount(figures.requestsPerSecond)),
      oursAndBaseline(row, (figures) => String(figures.errors)),
      oursAndBaseline(row, cpuPerRequest),
      verdictText(scaleVerdict(row)),
    ]),
    [false, true, true, true, true, true, false],
  );
}

function mainSection(main: MainPart): string[] {
  return [loadTable(main.loads), '', ...(main.aa === undefined ? [] : [aaLine(main.aa), '']), processTable(main)];
}

function scaleSection(scale: ScalePart): string[] {
  const size = `userdata.json ${formatMegabytes(scale.userdataBytes)}`;
  return [
    `Scale: ${formatCount(scale.users)} users, ${formatCount(scale.devices)} devices (${size}), both servers on fresh roots, measured as above.`,
    '',
    scaleTable(scale.loads),
  ];
}

export function renderReport(report: BenchReport): string {
  const { connections, durationS, warmupS, rounds = 1 } = report.settings;
  const runs = rounds === 1 ? `${durationS} s per scenario after a ${warmupS} s warm-up` : `${rounds} runs of ${durationS} s per scenario, taken in turns with what it is compared with, after a ${warmupS} s warm-up; each figure is the median of its runs`;
  const verdicts = allVerdicts(report);
  const missed = verdicts.filter((item) => !item.met).length;
  const parts = [...(report.main === undefined ? [] : [mainSection(report.main)]), ...(report.scale === undefined ? [] : [scaleSection(report.scale)])];
  return [
    `Measured ${machineLine(report.machine)}`,
    '',
    `autocannon, ${connections} connections, ${runs}; ratios are ours/baseline in this one run.`,
    ...parts.flatMap((lines) => ['', ...lines]),
    ...(report.skipped.length > 0 ? ['', ...report.skipped.map((line) => `- skipped: ${line}`)] : []),
    '',
    missed === 0 ? `All ${verdicts.length} goals met.` : `${missed} of ${verdicts.length} goals not met.`,
  ].join('\n');
}
