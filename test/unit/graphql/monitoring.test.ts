// Unit tests of the GraphQL "monitoring" area against a stand-in Prometheus: shapes, PromQL, bounds, errors.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_POINTS } from '../../../domain/monitoring/time-window.js';
import type { Ctx } from '../../../kit/context.js';
import { fakeRunner, makeCtx } from '../../helpers/function-call.js';
import { emptyResult, startPrometheusStandIn, success, type PrometheusStandIn, type ReceivedQuery } from '../../helpers/prometheus-stand-in.js';
import { sendAppOperation } from './app-operation.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();
let ctx: Ctx;
let prometheus: PrometheusStandIn;
const NOW = new Date('2026-11-30T11:00:00.000Z');

beforeEach(async () => {
  prometheus = await startPrometheusStandIn();
  ctx = makeCtx(temp, { system: fakeRunner(), settings: { swaggerFromEnv: false, prometheusUrl: prometheus.url }, now: () => NOW });
});
afterEach(async () => {
  await ctx.jobs.close();
  await prometheus.close();
});

/** The app's hour view: 120 points, one every 30 s. */
const hour = { start: '2026-11-30T10:00:00.000Z', end: '2026-11-30T11:00:00.000Z', step: 30 };
const hourStart = Date.parse(hour.start) / 1000;

/** `count` points from the hour's start, one per step, valued by `value(i)`. */
function points(count: number, value: (i: number) => number): Array<[number, string]> {
  return Array.from({ length: count }, (_, i) => [hourStart + i * hour.step, String(value(i))]);
}

const asValues = (series: Array<[number, string]>) => series.map(([seconds, value]) => ({ timestamp: new Date(seconds * 1000).toISOString(), value }));

/** Answers each PromQL the test names with a matrix or vector result; anything else gets an empty result. */
function answerByQuery(results: Record<string, unknown[]>): (query: ReceivedQuery) => ReturnType<PrometheusStandIn['answer']> {
  return (query) => {
    const result = results[query.params.query ?? ''];
    if (result === undefined) return emptyResult(query);
    return success(query.endpoint === 'query_range' ? 'matrix' : 'vector', result);
  };
}

const CPU = '100 * (1 - avg(rate(node_cpu_seconds_total{mode="idle"}[300s])))';
const RECEIVE = 'sum(rate(node_network_receive_bytes_total{device!="lo"}[300s]))';
const TRANSMIT = 'sum(rate(node_network_transmit_bytes_total{device!="lo"}[300s]))';
const MEMORY = '100 * (1 - sum(node_memory_MemAvailable_bytes) / sum(node_memory_MemTotal_bytes))';
const SWAP = '100 * (sum(node_memory_SwapTotal_bytes) - sum(node_memory_SwapFree_bytes)) / clamp_min(sum(node_memory_SwapTotal_bytes), 1)';
const FILE_SYSTEMS = 'fstype!~"rootfs|ramfs|tmpfs|devtmpfs|squashfs|overlay",mountpoint!="/efi"';
const DISK = `100 * (1 - sum by (device) (node_filesystem_avail_bytes{${FILE_SYSTEMS}}) / sum by (device) (node_filesystem_size_bytes{${FILE_SYSTEMS}}))`;

describe('GetOverallCpuAndNetworkMetrics', () => {
  const cpu = points(120, (i) => 10 + i / 10);
  const received = points(120, (i) => 1000 + i);
  const sent = points(120, (i) => 500 + i);

  beforeEach(() => {
    prometheus.answer = answerByQuery({
      [CPU]: [{ metric: {}, values: cpu }],
      [RECEIVE]: [{ metric: {}, values: received }],
      [TRANSMIT]: [{ metric: {}, values: sent }],
    });
  });

  it('answers CPU % and the receive and transmit series the app looks up by name', async () => {
    const answer = await sendAppOperation(ctx, 'GetOverallCpuAndNetworkMetrics', hour);
    expect(answer.body).toEqual({
      data: {
        monitoring: {
          cpuUsage: { overallUsage: { values: asValues(cpu) } },
          networkUsage: { overallUsage: { metrics: [{ metricId: 'receive', values: asValues(received) }, { metricId: 'transmit', values: asValues(sent) }] } },
        },
      },
    });
  });

  it('asks query_range with the app\'s start, end and step in Unix seconds', async () => {
    await sendAppOperation(ctx, 'GetOverallCpuAndNetworkMetrics', hour);
    expect(prometheus.queries.map((query) => query.params.query).sort()).toEqual([CPU, RECEIVE, TRANSMIT].sort());
    for (const query of prometheus.queries) {
      expect(query).toEqual({ endpoint: 'query_range', params: { query: query.params.query, start: '1796032800.000', end: '1796036400.000', step: '30' } });
    }
  });

  it('answers the same on the first and on later runs of the document (graphql-js, then compiled)', async () => {
    const answers = [];
    for (let run = 0; run < 3; run += 1) answers.push((await sendAppOperation(ctx, 'GetOverallCpuAndNetworkMetrics', hour)).body);
    expect(answers[0].data.monitoring.cpuUsage.overallUsage.values).toHaveLength(120);
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  it('takes rates over a whole step when a step is longer than five minutes', async () => {
    const month = { start: '2026-11-15T11:00:00.000Z', end: '2026-11-30T11:00:00.000Z', step: 10_800 };
    await sendAppOperation(ctx, 'GetOverallCpuAndNetworkMetrics', month);
    expect(prometheus.queries.map((query) => query.params.query)).toContain('100 * (1 - avg(rate(node_cpu_seconds_total{mode="idle"}[10800s])))');
  });

  it('answers both network series, empty, before Prometheus has samples', async () => {
    prometheus.answer = emptyResult;
    const answer = await sendAppOperation(ctx, 'GetOverallCpuAndNetworkMetrics', hour);
    expect(answer.body.data.monitoring).toEqual({
      cpuUsage: { overallUsage: { values: [] } },
      networkUsage: { overallUsage: { metrics: [{ metricId: 'receive', values: [] }, { metricId: 'transmit', values: [] }] } },
    });
  });
});

describe('GetMemoryMetrics', () => {
  const memory = points(120, (i) => 40 + i / 100);
  const swap = points(120, () => 0);
  const at = NOW.getTime() / 1000;

  beforeEach(() => {
    prometheus.answer = answerByQuery({
      [MEMORY]: [{ metric: {}, values: memory }],
      [SWAP]: [{ metric: {}, values: swap }],
      'avg_over_time(selfprivacy_service_memory_bytes[3600s])': [
        { metric: { service: 'nextcloud', instance: '127.0.0.1:9002' }, value: [at, '104857600'] },
        { metric: { service: 'simple-nixos-mailserver', instance: '127.0.0.1:9002' }, value: [at, '52428800'] },
      ],
      'max_over_time(selfprivacy_service_memory_bytes[3600s])': [
        { metric: { service: 'simple-nixos-mailserver' }, value: [at, '62914560'] },
        { metric: { service: 'nextcloud' }, value: [at, '209715200'] },
      ],
    });
  });

  it('answers memory and swap % and each service\'s average and highest bytes over the range', async () => {
    const answer = await sendAppOperation(ctx, 'GetMemoryMetrics', hour);
    const end = hour.end;
    expect(answer.body).toEqual({
      data: {
        monitoring: {
          memoryUsage: {
            overallUsage: { values: asValues(memory) },
            swapUsageOverall: { values: asValues(swap) },
            averageUsageByService: {
              metrics: [
                { metricId: 'nextcloud', values: [{ timestamp: end, value: '104857600' }] },
                { metricId: 'simple-nixos-mailserver', values: [{ timestamp: end, value: '52428800' }] },
              ],
            },
            maxUsageByService: {
              metrics: [
                { metricId: 'nextcloud', values: [{ timestamp: end, value: '209715200' }] },
                { metricId: 'simple-nixos-mailserver', values: [{ timestamp: end, value: '62914560' }] },
              ],
            },
          },
        },
      },
    });
  });

  it('asks the per-service figures as instant queries at the range\'s end', async () => {
    await sendAppOperation(ctx, 'GetMemoryMetrics', hour);
    const instant = prometheus.queries.filter((query) => query.endpoint === 'query');
    expect(instant.map((query) => query.params).sort((a, b) => String(a.query).localeCompare(String(b.query)))).toEqual([
      { query: 'avg_over_time(selfprivacy_service_memory_bytes[3600s])', time: '1796036400.000' },
      { query: 'max_over_time(selfprivacy_service_memory_bytes[3600s])', time: '1796036400.000' },
    ]);
  });

  it('answers the same on the first and on later runs of the document', async () => {
    const first = (await sendAppOperation(ctx, 'GetMemoryMetrics', hour)).body;
    for (let run = 0; run < 2; run += 1) expect((await sendAppOperation(ctx, 'GetMemoryMetrics', hour)).body).toEqual(first);
  });
});

describe('GetDiskMetrics', () => {
  it('answers the use of each file system in %, by device', async () => {
    const root = points(120, () => 61.5);
    const data = points(120, (i) => 20 + i / 1000);
    prometheus.answer = answerByQuery({ [DISK]: [{ metric: { device: '/dev/sda1' }, values: root }, { metric: { device: '/dev/sdb' }, values: data }] });
    const answers = [];
    for (let run = 0; run < 3; run += 1) answers.push((await sendAppOperation(ctx, 'GetDiskMetrics', hour)).body);
    expect(answers[0]).toEqual({
      data: { monitoring: { diskUsage: { overallUsage: { metrics: [{ metricId: '/dev/sda1', values: asValues(root) }, { metricId: '/dev/sdb', values: asValues(data) }] } } } },
    });
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });
});

describe('the range', () => {
  it('covers the 20 minutes before now when start and end are missing, as upstream', async () => {
    await sendAppOperation(ctx, 'GetDiskMetrics', { step: 60 });
    expect(prometheus.queries[0]?.params).toMatchObject({ start: String(NOW.getTime() / 1000 - 1200) + '.000', end: String(NOW.getTime() / 1000) + '.000', step: '60' });
  });

  it('covers the 20 minutes before a given end when start is missing', async () => {
    await sendAppOperation(ctx, 'GetDiskMetrics', { end: hour.end, step: 60 });
    expect(prometheus.queries[0]?.params).toMatchObject({ start: '1796035200.000', end: '1796036400.000' });
  });

  const badRanges: Array<[string, Record<string, unknown>, RegExp]> = [
    ['a step of 0', { ...hour, step: 0 }, /step must be a whole number of seconds, at least 1/],
    ['a negative step', { ...hour, step: -30 }, /step must be a whole number of seconds, at least 1/],
    ['an end before the start', { ...hour, start: hour.end, end: hour.start }, /start \(2026-11-30T11:00:00.000Z\) is after end/],
    ['more points than the bound', { ...hour, step: 1 }, new RegExp(`makes 3601 points per series over this range; at most ${MAX_POINTS}: use a step of at least 2 s`)],
    ['a range of years', { start: '2020-01-01T00:00:00Z', end: hour.end, step: 86_400 }, /a chart covers at most 400 days/],
  ];
  for (const [what, variables, message] of badRanges) {
    it(`refuses ${what} with an input error, asking Prometheus nothing`, async () => {
      const answer = await sendAppOperation(ctx, 'GetOverallCpuAndNetworkMetrics', variables);
      expect(answer.body.data).toBeNull();
      expect(answer.body.errors[0].message).toMatch(message);
      expect(answer.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(prometheus.queries).toEqual([]);
    });
  }

  it('accepts the app\'s month view (15 days, 120 points)', async () => {
    const month = { start: '2026-11-15T11:00:00.000Z', end: '2026-11-30T11:00:00.000Z', step: 10_800 };
    const answer = await sendAppOperation(ctx, 'GetDiskMetrics', month);
    expect(answer.body).toEqual({ data: { monitoring: { diskUsage: { overallUsage: { metrics: [] } } } } });
  });
});

describe('when Prometheus cannot answer', () => {
  it('answers every chart a MonitoringQueryError saying Prometheus cannot be reached', async () => {
    const url = prometheus.url;
    await prometheus.close();
    const answer = await sendAppOperation(ctx, 'GetMemoryMetrics', hour);
    const error = { error: `Prometheus at ${url} cannot be reached (ECONNREFUSED); is it running?` };
    expect(answer.body).toEqual({
      data: { monitoring: { memoryUsage: { overallUsage: error, swapUsageOverall: error, averageUsageByService: error, maxUsageByService: error } } },
    });
  });

  it('answers the error only for the chart whose query Prometheus refused; the others still answer', async () => {
    const memory = points(120, () => 40);
    prometheus.answer = (query) => {
      if (query.params.query === SWAP) return { status: 400, body: { status: 'error', errorType: 'bad_data', error: 'parse error at char 3' } };
      return answerByQuery({ [MEMORY]: [{ metric: {}, values: memory }] })(query);
    };
    const answer = await sendAppOperation(ctx, 'GetMemoryMetrics', hour);
    expect(answer.body.data.monitoring.memoryUsage).toEqual({
      overallUsage: { values: asValues(memory) },
      swapUsageOverall: { error: `Prometheus at ${prometheus.url} refused the query (HTTP 400, bad_data: parse error at char 3)` },
      averageUsageByService: { metrics: [] },
      maxUsageByService: { metrics: [] },
    });
  });

  it('answers the error for a chart Prometheus does not answer in time, and the others', async () => {
    prometheus.answer = (query) => (query.params.query === CPU ? 'hang' : emptyResult(query));
    const answer = await sendAppOperation(ctx, 'GetOverallCpuAndNetworkMetrics', hour);
    expect(answer.body.data.monitoring).toEqual({
      cpuUsage: { overallUsage: { error: `Prometheus at ${prometheus.url} did not answer within 3 s` } },
      networkUsage: { overallUsage: { metrics: [{ metricId: 'receive', values: [] }, { metricId: 'transmit', values: [] }] } },
    });
  });

  it('answers the error when Prometheus answers something that is not its API', async () => {
    prometheus.answer = () => ({ status: 502, body: '<html>Bad Gateway</html>' });
    const answer = await sendAppOperation(ctx, 'GetDiskMetrics', hour);
    expect(answer.body.data.monitoring.diskUsage.overallUsage).toEqual({ error: `Prometheus at ${prometheus.url} answered HTTP 502 without its JSON result` });
  });

  it('answers the error when Prometheus answers a result of the wrong kind', async () => {
    prometheus.answer = () => success('vector', []);
    const answer = await sendAppOperation(ctx, 'GetDiskMetrics', hour);
    expect(answer.body.data.monitoring.diskUsage.overallUsage).toEqual({ error: `Prometheus at ${prometheus.url} answered a vector result where a matrix was expected` });
  });
});
