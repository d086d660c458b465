// The server page's charts: the PromQL behind each, and its answer in the shapes the app reads.
import { MonitoringUnavailable, type PrometheusClient, type Series } from './prometheus-client.js';
import { SERVICE_MEMORY_METRIC } from './service-memory.js';
import type { TimeWindow } from './time-window.js';

export interface MonitoringPoint {
  timestamp: Date;
  /** As Prometheus prints it: the app parses the text itself. */
  value: string;
}

export interface MonitoringSeries {
  /** The device, file system, direction or service the series is of. */
  metricId: string;
  values: MonitoringPoint[];
}

/** A chart Prometheus could not give, and why. */
export interface ChartError {
  error: string;
}

export type ValuesChart = { values: MonitoringPoint[] } | ChartError;
export type MetricsChart = { metrics: MonitoringSeries[] } | ChartError;

/** The two series the app looks up by name for its network chart. */
export const NETWORK_DIRECTIONS = ['receive', 'transmit'] as const;

/**
 * The span a rate is taken over: at least five minutes, so a few scrapes always fall in it, and at
 * least one step, so a long chart's point stands for its whole step rather than its last minutes.
 */
export function rateWindow(window: TimeWindow): string {
  return `${Math.max(300, window.stepSeconds)}s`;
}

/** File systems that hold no data of the server's own: kernel and memory-backed ones. */
const DATA_FILE_SYSTEMS = 'fstype!~"rootfs|ramfs|tmpfs|devtmpfs|squashfs|overlay",mountpoint!="/efi"';

export const promql = {
  cpu: (window: TimeWindow): string =>
    `100 * (1 - avg(rate(node_cpu_seconds_total{mode="idle"}[${rateWindow(window)}])))`,
  memory: (): string =>
    '100 * (1 - sum(node_memory_MemAvailable_bytes) / sum(node_memory_MemTotal_bytes))',
  // clamp_min: a server without swap uses 0 % of it, rather than 0/0.
  swap: (): string =>
    '100 * (sum(node_memory_SwapTotal_bytes) - sum(node_memory_SwapFree_bytes)) / clamp_min(sum(node_memory_SwapTotal_bytes), 1)',
  disk: (): string =>
    `100 * (1 - sum by (device) (node_filesystem_avail_bytes{${DATA_FILE_SYSTEMS}}) / sum by (device) (node_filesystem_size_bytes{${DATA_FILE_SYSTEMS}}))`,
  // Every interface but loopback, summed: the app draws one line in and one out.
  network: (window: TimeWindow, direction: (typeof NETWORK_DIRECTIONS)[number]): string =>
    `sum(rate(node_network_${direction}_bytes_total{device!="lo"}[${rateWindow(window)}]))`,
  /** Evaluated once, at the window's end, over the whole window. */
  serviceMemory: (window: TimeWindow, over: 'avg' | 'max'): string =>
    `${over}_over_time(${SERVICE_MEMORY_METRIC}[${spanSeconds(window)}s])`,
};

/** The window's length in whole seconds, at least one (a range selector cannot be empty). */
function spanSeconds(window: TimeWindow): number {
  return Math.max(1, Math.round((window.end.getTime() - window.start.getTime()) / 1000));
}

const points = (series: Series | undefined): MonitoringPoint[] =>
  (series?.points ?? []).map(([seconds, value]) => ({ timestamp: new Date(Math.round(seconds * 1000)), value }));

/** Turns Prometheus being down or refusing into the chart's error; anything else is a fault of ours and is thrown. */
async function chart<T>(read: () => Promise<T>): Promise<T | ChartError> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof MonitoringUnavailable) return { error: error.message };
    throw error;
  }
}

/** A chart of one line: the query aggregates to one series, or none before the first samples. */
function singleLine(prometheus: PrometheusClient, query: string, window: TimeWindow): Promise<ValuesChart> {
  return chart(async () => ({ values: points((await prometheus.range(query, toRange(window)))[0]) }));
}

const toRange = (window: TimeWindow) => ({ start: window.start, end: window.end, stepSeconds: window.stepSeconds });

export const cpuChart = (prometheus: PrometheusClient, window: TimeWindow): Promise<ValuesChart> => singleLine(prometheus, promql.cpu(window), window);

export const memoryChart = (prometheus: PrometheusClient, window: TimeWindow): Promise<ValuesChart> => singleLine(prometheus, promql.memory(), window);

export const swapChart = (prometheus: PrometheusClient, window: TimeWindow): Promise<ValuesChart> => singleLine(prometheus, promql.swap(), window);

/** Use of each file system in %, by its device. */
export function diskChart(prometheus: PrometheusClient, window: TimeWindow): Promise<MetricsChart> {
  return chart(async () => {
    const series = await prometheus.range(promql.disk(), toRange(window));
    return { metrics: series.map((one) => ({ metricId: one.labels.device ?? 'unknown', values: points(one) })) };
  });
}

/** Bytes per second in and out; both series are always there, empty before the first samples. */
export function networkChart(prometheus: PrometheusClient, window: TimeWindow): Promise<MetricsChart> {
  return chart(async () => {
    const lines = await Promise.all(NETWORK_DIRECTIONS.map((direction) => prometheus.range(promql.network(window, direction), toRange(window))));
    return { metrics: NETWORK_DIRECTIONS.map((direction, index) => ({ metricId: direction, values: points(lines[index]?.[0]) })) };
  });
}

/** Average or highest memory of each service over the window, in bytes: one value each, at the window's end. */
export function serviceMemoryChart(prometheus: PrometheusClient, window: TimeWindow, over: 'avg' | 'max'): Promise<MetricsChart> {
  return chart(async () => {
    const series = await prometheus.instant(promql.serviceMemory(window, over), window.end);
    const metrics = series
      .filter((one) => one.labels.service !== undefined)
      .map((one) => ({ metricId: one.labels.service as string, values: points(one) }));
    return { metrics: metrics.sort((a, b) => a.metricId.localeCompare(b.metricId)) };
  });
}
