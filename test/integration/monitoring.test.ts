// The server page's charts end to end: real Prometheus and node exporter on loopback, the built server,
// service memory from a stand-in systemctl, each app operation checked against Prometheus's own answer.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_MEMORY_FILE } from '../../domain/monitoring/service-memory.js';
import { NODE_EXPORTER_COMMAND, PROMETHEUS_COMMAND, findOnPath, startMonitoringDaemons, type MonitoringDaemons } from '../../runtime/monitoring-daemons.js';
import { createCommandRunner } from '../../runtime/system.js';
import { appOperation } from '../unit/graphql/app-operation.js';
import { PRIMARY_TOKEN } from '../helpers/function-call.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { makeStandIns } from '../helpers/stand-ins.js';
import { makeTempRoot, type TempRoot } from '../helpers/temp-root.js';
import { waitFor } from '../helpers/wait.js';

const installed = findOnPath(PROMETHEUS_COMMAND) !== undefined && findOnPath(NODE_EXPORTER_COMMAND) !== undefined;
// CI installs both (.ci/run): there a missing one is a broken set-up, not a reason to skip.
const mustRun = process.env.CI === 'true';
const skipNote = installed ? '' : ' — SKIPPED: apt-get install prometheus prometheus-node-exporter';

/**
 * The app's hour view asks 120 points, one per 30 s, from a Prometheus scraping every 15 s: two
 * scrapes a step. Scaled to this test's 1 s scrape: a 1 s step (one scrape each, the least that
 * still gives every point its own sample) over 24 s, 25 points, more than the 20 the app needs.
 */
const SCRAPE_SECONDS = 1;
const STEP_SECONDS = 1;
const WINDOW_SECONDS = 24;
const MIN_POINTS = 20;

/** The services' memory as the stand-in systemd reports it: mail is two units, nextcloud one, the rest stopped. */
const SHOW_OUTPUT = [
  'MemoryCurrent=41943040\nId=dovecot2.service',
  'MemoryCurrent=10485760\nId=postfix.service',
  'MemoryCurrent=[not set]\nId=vaultwarden.service',
  'MemoryCurrent=[not set]\nId=gitea.service',
  'MemoryCurrent=209715200\nId=phpfpm-nextcloud.service',
  'MemoryCurrent=[not set]\nId=ocserv.service',
  'MemoryCurrent=[not set]\nId=pleroma.service',
].join('\n\n') + '\n';

// The PromQL each chart stands for, written out here as the statement of what the charts mean.
const RATE = '[300s]';
const FILE_SYSTEMS = 'fstype!~"rootfs|ramfs|tmpfs|devtmpfs|squashfs|overlay",mountpoint!="/efi"';
const PROMQL = {
  cpu: `100 * (1 - avg(rate(node_cpu_seconds_total{mode="idle"}${RATE})))`,
  receive: `sum(rate(node_network_receive_bytes_total{device!="lo"}${RATE}))`,
  transmit: `sum(rate(node_network_transmit_bytes_total{device!="lo"}${RATE}))`,
  memory: '100 * (1 - sum(node_memory_MemAvailable_bytes) / sum(node_memory_MemTotal_bytes))',
  swap: '100 * (sum(node_memory_SwapTotal_bytes) - sum(node_memory_SwapFree_bytes)) / clamp_min(sum(node_memory_SwapTotal_bytes), 1)',
  disk: `100 * (1 - sum by (device) (node_filesystem_avail_bytes{${FILE_SYSTEMS}}) / sum by (device) (node_filesystem_size_bytes{${FILE_SYSTEMS}}))`,
  serviceAverage: `avg_over_time(selfprivacy_service_memory_bytes[${WINDOW_SECONDS}s])`,
  serviceMax: `max_over_time(selfprivacy_service_memory_bytes[${WINDOW_SECONDS}s])`,
};

interface Point { timestamp: string; value: string }
interface PromSeries { metric: Record<string, string>; values?: Array<[number, string]>; value?: [number, string] }

let temp: TempRoot;
let daemons: MonitoringDaemons;
let server: ServerProcess;
/** The window every operation asks for: ended a few seconds ago, so no later scrape can change it. */
let range: { start: string; end: string; step: number };

async function prometheusQuery(endpoint: 'query' | 'query_range', params: Record<string, string>): Promise<PromSeries[]> {
  const response = await fetch(`${daemons.prometheusUrl}/api/v1/${endpoint}?${new URLSearchParams(params)}`);
  const answer = (await response.json()) as { status: string; data: { result: PromSeries[] } };
  expect(answer.status).toBe('success');
  return answer.data.result;
}

/** Prometheus's own answer for `promql` over the test's range, as the chart's points. */
async function expectedRange(promql: string): Promise<Array<{ labels: Record<string, string>; values: Point[] }>> {
  const seconds = (iso: string): string => String(Date.parse(iso) / 1000);
  const result = await prometheusQuery('query_range', { query: promql, start: seconds(range.start), end: seconds(range.end), step: String(range.step) });
  return result.map((series) => ({ labels: series.metric, values: (series.values ?? []).map(toPoint) }));
}

async function expectedInstant(promql: string): Promise<Array<{ labels: Record<string, string>; values: Point[] }>> {
  const result = await prometheusQuery('query', { query: promql, time: String(Date.parse(range.end) / 1000) });
  return result.map((series) => ({ labels: series.metric, values: series.value ? [toPoint(series.value)] : [] }));
}

const toPoint = ([seconds, value]: [number, string]): Point => ({ timestamp: new Date(Math.round(seconds * 1000)).toISOString(), value });

async function sendOperation(name: string): Promise<any> {
  const response = await server.fetch('/graphql', { method: 'POST', token: PRIMARY_TOKEN, json: { query: appOperation(name), operationName: name, variables: range } });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { data?: unknown; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data;
}

/** Runs an operation three times (graphql-js first, then its compiled form): the same answer each time. */
async function sendRepeated(name: string): Promise<any> {
  const first = await sendOperation(name);
  for (let run = 1; run < 3; run += 1) expect(await sendOperation(name)).toEqual(first);
  return first;
}

describe('monitoring tools on this machine', () => {
  it.runIf(mustRun)('are installed where CI runs', () => {
    expect(installed).toBe(true);
  });
});

describe.skipIf(!installed)(`the server page's charts from a real Prometheus${skipNote}`, () => {
  beforeAll(async () => {
    temp = makeTempRoot();
    daemons = await startMonitoringDaemons(createCommandRunner(), path.join(temp.root, 'monitoring'), { scrapeIntervalSeconds: SCRAPE_SECONDS });
    const bin = makeStandIns(path.join(temp.root, 'stand-ins'), { systemctl: { stdout: SHOW_OUTPUT } });
    // What an API killed mid-write would leave: removed at start, as beside the API's own files.
    const leftover = path.join(daemons.textfileFolder, `.${SERVICE_MEMORY_FILE}.999999.0123456789ab.tmp`);
    fs.writeFileSync(leftover, 'selfprivacy_service_memory_bytes{service="nextcloud"} 1\n');
    fs.utimesSync(leftover, new Date(Date.now() - 7_200_000), new Date(Date.now() - 7_200_000));
    server = await startServerProcess(temp.root, {
      PATH: bin.pathValue,
      SELFPRIVACY_PROMETHEUS_URL: daemons.prometheusUrl,
      SELFPRIVACY_NODE_EXPORTER_TEXTFILE_DIR: daemons.textfileFolder,
      SELFPRIVACY_SERVICE_MEMORY_INTERVAL: String(SCRAPE_SECONDS),
    });
    // Enough scrapes, service memory among them, for a whole window that ended a few seconds ago.
    const scrapesNeeded = WINDOW_SECONDS + 4;
    await waitFor(async () => {
      const [samples] = await prometheusQuery('query', { query: 'count_over_time(selfprivacy_service_memory_bytes{service="nextcloud"}[60s])' });
      return Number(samples?.value?.[1] ?? 0) >= scrapesNeeded;
    }, `${scrapesNeeded} scrapes with service memory`, 120_000);
    const end = Math.floor(Date.now() / 1000) - 3;
    range = { start: new Date((end - WINDOW_SECONDS) * 1000).toISOString(), end: new Date(end * 1000).toISOString(), step: STEP_SECONDS };
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    await daemons?.stop();
    temp?.cleanup();
  });

  it('writes service memory where node exporter serves it to Prometheus', async () => {
    expect(fs.readdirSync(daemons.textfileFolder)).toEqual([SERVICE_MEMORY_FILE]);
    expect(fs.readFileSync(path.join(daemons.textfileFolder, SERVICE_MEMORY_FILE), 'utf8')).toContain('selfprivacy_service_memory_bytes{service="nextcloud"} 209715200\n');
    const exported = await (await fetch(`${daemons.nodeExporterUrl}/metrics`)).text();
    expect(exported).toContain('selfprivacy_service_memory_bytes{service="simple-nixos-mailserver"} 5.24288e+07');
  });

  it('GetOverallCpuAndNetworkMetrics answers CPU and network as Prometheus does, with enough points to draw', async () => {
    const data = await sendRepeated('GetOverallCpuAndNetworkMetrics');
    const [cpu] = await expectedRange(PROMQL.cpu);
    expect(data.monitoring.cpuUsage.overallUsage).toEqual({ values: cpu?.values });
    const [receive] = await expectedRange(PROMQL.receive);
    const [transmit] = await expectedRange(PROMQL.transmit);
    expect(data.monitoring.networkUsage.overallUsage).toEqual({
      metrics: [{ metricId: 'receive', values: receive?.values }, { metricId: 'transmit', values: transmit?.values }],
    });
    for (const series of [cpu, receive, transmit]) expect(series?.values.length).toBeGreaterThanOrEqual(MIN_POINTS);
  });

  it('GetMemoryMetrics answers memory and swap as Prometheus does, and each running service\'s memory', async () => {
    const data = await sendRepeated('GetMemoryMetrics');
    const usage = data.monitoring.memoryUsage;
    const [memory] = await expectedRange(PROMQL.memory);
    const [swap] = await expectedRange(PROMQL.swap);
    expect(usage.overallUsage).toEqual({ values: memory?.values });
    expect(usage.swapUsageOverall).toEqual({ values: swap?.values });
    for (const series of [memory, swap]) expect(series?.values.length).toBeGreaterThanOrEqual(MIN_POINTS);

    const byService = async (promql: string): Promise<unknown> =>
      (await expectedInstant(promql)).map((series) => ({ metricId: series.labels.service, values: series.values })).sort((a, b) => String(a.metricId).localeCompare(String(b.metricId)));
    expect(usage.averageUsageByService).toEqual({ metrics: await byService(PROMQL.serviceAverage) });
    expect(usage.maxUsageByService).toEqual({ metrics: await byService(PROMQL.serviceMax) });
    // What systemd reported, through the file, node exporter and Prometheus: mail's two units summed.
    const valuesOf = (chart: { metrics: Array<{ metricId: string; values: Point[] }> }) => chart.metrics.map((metric) => [metric.metricId, metric.values.map((point) => point.value)]);
    expect(valuesOf(usage.averageUsageByService)).toEqual([['nextcloud', ['209715200']], ['simple-nixos-mailserver', ['52428800']]]);
    expect(valuesOf(usage.maxUsageByService)).toEqual([['nextcloud', ['209715200']], ['simple-nixos-mailserver', ['52428800']]]);
    expect(usage.averageUsageByService.metrics[0].values[0].timestamp).toBe(range.end);
  });

  it('GetDiskMetrics answers each file system\'s use as Prometheus does', async () => {
    const data = await sendRepeated('GetDiskMetrics');
    const disks = await expectedRange(PROMQL.disk);
    expect(data.monitoring.diskUsage.overallUsage).toEqual({ metrics: disks.map((series) => ({ metricId: series.labels.device, values: series.values })) });
    // Whatever file systems this machine has, each that holds data is drawn with enough points.
    const storedData = await prometheusQuery('query', { query: `node_filesystem_size_bytes{${FILE_SYSTEMS}}`, time: String(Date.parse(range.end) / 1000) });
    expect(disks.length).toBe(new Set(storedData.map((series) => series.metric.device)).size);
    for (const series of disks) expect(series.values.length).toBeGreaterThanOrEqual(MIN_POINTS);
  });

  it('answers each chart an error saying Prometheus cannot be reached once it stops', async () => {
    await daemons.stop();
    const data = await sendOperation('GetOverallCpuAndNetworkMetrics');
    const error = { error: `Prometheus at ${daemons.prometheusUrl} cannot be reached (ECONNREFUSED); is it running?` };
    expect(data).toEqual({ monitoring: { cpuUsage: { overallUsage: error }, networkUsage: { overallUsage: error } } });
  });
});
