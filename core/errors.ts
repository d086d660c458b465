// Errors as values: a function throws an HttpError and the runtime turns it into a JSON answer.

export type JsonBody = unknown;

export class HttpError extends Error {
  readonly status: number;
  readonly body: JsonBody;
  readonly headers: Record<string, string>;

  constructor(status: number, body: JsonBody, headers: Record<string, string> = {}) {
    super(typeof body === 'object' && body !== null ? JSON.stringify(body) : String(body));
    this.name = 'HttpError';
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/** 400 with `{"error": message}` and, when known, the offending field. */
export function badRequest(message: string, field?: string): HttpError {
  return new HttpError(400, field === undefined ? { error: message } : { error: message, field });
}

export function notFound(body: JsonBody = { error: 'Not found' }): HttpError {
  return new HttpError(404, body);
}

export function conflict(body: JsonBody): HttpError {
  return new HttpError(409, body);
}

/** A server-side fault whose message is safe to show (no paths with secrets, no stack). */
export function internalError(message: string): HttpError {
  return new HttpError(500, { error: message });
}
