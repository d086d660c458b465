// A stand-in Prometheus HTTP API on 127.0.0.1: records each query and answers what the test says.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One query as Prometheus would receive it: the endpoint and its form parameters. */
export interface ReceivedQuery {
  endpoint: string;
  params: Record<string, string>;
}

/** What to answer a query: a status and a JSON body, or `hang` to never answer. */
export type StandInAnswer = { status: number; body: unknown } | 'hang';

export interface PrometheusStandIn {
  url: string;
  queries: ReceivedQuery[];
  /** Decides the answer of each query; the default answers an empty result of the right kind. */
  answer: (query: ReceivedQuery) => StandInAnswer;
  close(): Promise<void>;
}

/** The empty successful answer of an endpoint: a matrix for query_range, a vector for query. */
export function emptyResult(query: ReceivedQuery): StandInAnswer {
  return { status: 200, body: { status: 'success', data: { resultType: query.endpoint === 'query_range' ? 'matrix' : 'vector', result: [] } } };
}

export function success(resultType: 'matrix' | 'vector', result: unknown[]): StandInAnswer {
  return { status: 200, body: { status: 'success', data: { resultType, result } } };
}

export async function startPrometheusStandIn(): Promise<PrometheusStandIn> {
  const hanging = new Set<http.ServerResponse>();
  const standIn: PrometheusStandIn = {
    url: '',
    queries: [],
    answer: emptyResult,
    close: () =>
      new Promise((resolve) => {
        for (const response of hanging) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const params = Object.fromEntries(new URLSearchParams(request.method === 'POST' ? body : url.search));
      const query = { endpoint: url.pathname.replace(/^\/api\/v1\//, ''), params };
      standIn.queries.push(query);
      const answer = standIn.answer(query);
      if (answer === 'hang') {
        hanging.add(response);
        return;
      }
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  standIn.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return standIn;
}
