// Turns a test's `{ token, json }` shorthand into the headers and body of a request.

export interface TestRequestOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Serialized as a JSON body, with its content-type. */
  json?: unknown;
  headers?: HeadersInit;
  body?: BodyInit | null;
}

export function headersAndBody(options: TestRequestOptions): { headers: Headers; body: BodyInit | null | undefined } {
  const headers = new Headers(options.headers);
  if (options.token !== undefined) headers.set('authorization', `Bearer ${options.token}`);
  if (options.json === undefined) return { headers, body: options.body };
  headers.set('content-type', 'application/json');
  return { headers, body: JSON.stringify(options.json) };
}
