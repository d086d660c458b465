// Asks a Prometheus for PromQL results over its HTTP API; every failure becomes one clear MonitoringUnavailable.

/** Where the API finds Prometheus when SELFPRIVACY_PROMETHEUS_URL does not say (the NixOS module's port). */
export const DEFAULT_PROMETHEUS_URL = 'http://127.0.0.1:9001';

/**
 * How long one chart waits for Prometheus. A chart that cannot be drawn should say so quickly: the
 * app loads the page's charts together and shows none until all have answered.
 */
export const PROMETHEUS_TIMEOUT_MS = 3_000;

/** Prometheus could not give a chart's data; the message says why, for the chart's MonitoringQueryError. */
export class MonitoringUnavailable extends Error {}

/** One labelled series: `[unix seconds, value as Prometheus prints it]` per point. */
export interface Series {
  labels: Record<string, string>;
  points: Array<[number, string]>;
}

/** The range of a `query_range`: Date bounds and the step in seconds. */
export interface QueryRange {
  start: Date;
  end: Date;
  stepSeconds: number;
}

export interface PrometheusClient {
  /** `query_range`: one point per step for each series. */
  range(promql: string, range: QueryRange): Promise<Series[]>;
  /** `query` at `time`: one point for each series. */
  instant(promql: string, time: Date): Promise<Series[]>;
}

interface ApiAnswer {
  status?: string;
  error?: string;
  errorType?: string;
  data?: { resultType?: string; result?: unknown };
}

const unixSeconds = (date: Date): string => (date.getTime() / 1000).toFixed(3);

export function prometheusClient(baseUrl: string = DEFAULT_PROMETHEUS_URL, timeoutMs: number = PROMETHEUS_TIMEOUT_MS): PrometheusClient {
  const ask = async (endpoint: string, parameters: Record<string, string>): Promise<ApiAnswer> => {
    const url = new URL(`api/v1/${endpoint}`, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
    let response: Response;
    try {
      // POST keeps long PromQL out of URL length limits; the body is form-encoded, as the API takes it.
      response = await fetch(url, {
        method: 'POST',
        body: new URLSearchParams(parameters),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      throw new MonitoringUnavailable(describeFetchFailure(baseUrl, error, timeoutMs));
    }
    let answer: ApiAnswer;
    try {
      answer = (await response.json()) as ApiAnswer;
    } catch {
      throw new MonitoringUnavailable(`Prometheus at ${baseUrl} answered HTTP ${response.status} without its JSON result`);
    }
    if (!response.ok || answer.status !== 'success') {
      const reason = answer.error ? `${answer.errorType ?? 'error'}: ${answer.error}` : `status ${answer.status ?? 'missing'}`;
      throw new MonitoringUnavailable(`Prometheus at ${baseUrl} refused the query (HTTP ${response.status}, ${reason.slice(0, 300)})`);
    }
    return answer;
  };
  return {
    async range(promql, { start, end, stepSeconds }) {
      const answer = await ask('query_range', { query: promql, start: unixSeconds(start), end: unixSeconds(end), step: String(stepSeconds) });
      return readResult(answer, 'matrix', baseUrl);
    },
    async instant(promql, time) {
      const answer = await ask('query', { query: promql, time: unixSeconds(time) });
      return readResult(answer, 'vector', baseUrl);
    },
  };
}

function describeFetchFailure(baseUrl: string, error: unknown, timeoutMs: number): string {
  const name = (error as Error).name;
  if (name === 'TimeoutError' || name === 'AbortError') return `Prometheus at ${baseUrl} did not answer within ${timeoutMs / 1000} s`;
  // fetch hides the socket's error (ECONNREFUSED…) in `cause`; that is the part worth showing.
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message ?? (error as Error).message;
  return `Prometheus at ${baseUrl} cannot be reached (${detail}); is it running?`;
}

/** The series of a successful answer, checked to be of the kind the endpoint promises. */
function readResult(answer: ApiAnswer, expected: 'matrix' | 'vector', baseUrl: string): Series[] {
  const data = answer.data;
  if (data?.resultType !== expected || !Array.isArray(data.result)) {
    throw new MonitoringUnavailable(`Prometheus at ${baseUrl} answered a ${data?.resultType ?? 'missing'} result where a ${expected} was expected`);
  }
  return data.result.map((item: { metric?: Record<string, string>; values?: Array<[number, string]>; value?: [number, string] }) => ({
    labels: item.metric ?? {},
    points: expected === 'matrix' ? (item.values ?? []) : item.value ? [item.value] : [],
  }));
}
