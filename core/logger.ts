// What logging looks like to the code that logs; runtime/logger.ts writes the lines (JSON, secrets removed).

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** The facts of the one line every request logs. */
export interface RequestLine {
  requestId: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  tokenName: string | null;
}

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** The same line as info('request', line), written from a fixed template (it is on every request's path). */
  request(line: RequestLine): void;
}
