// One plain HTTP request from the bench (node:http, no fetch: its lazy start-up would skew timings).
import http from 'node:http';

export interface HttpAnswer {
  status: number;
  text: string;
}

export interface HttpCallOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export function httpCall(url: string, options: HttpCallOptions = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(options.body);
  });
}
