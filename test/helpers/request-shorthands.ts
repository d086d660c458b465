// Turns the test shorthands `token` and `json` into the headers and body of a request.

export interface TestRequestOptions {
  headers?: HeadersInit;
  body?: BodyInit | null;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Serialized as the body, with `Content-Type: application/json`. */
  json?: unknown;
}

export function withTestShorthands(options: TestRequestOptions): { headers: Headers; body: BodyInit | null | undefined } {
  const headers = new Headers(options.headers);
  if (options.token !== undefined) headers.set('authorization', `Bearer ${options.token}`);
  let body = options.body;
  if (options.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(options.json);
  }
  return { headers, body };
}
