// Structured JSON-lines logger; secrets are removed from every entry before it is written.
import { stdoutLines } from './log-output.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Keys whose values are never written: credentials, passwords, tokens, mnemonics, B2 and other keys. */
const SECRET_KEY =
  /authorization|cookie|password|passwd|passphrase|secret|credential|token(?!_?name)|mnemonic|account_?(id|key)|application_?key|api_?key|private_?key|^key$/i;
/** A credential inside free text (an error message quoting a header, say). */
const BEARER_IN_TEXT = /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
/** Fields every entry has; a caller's field of the same name does not replace them. */
const RESERVED = new Set(['time', 'level', 'msg']);
const REDACTED = '[redacted]';
const MAX_DEPTH = 8;

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.replace(BEARER_IN_TEXT, `$1 ${REDACTED}`);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  // An Error's useful parts are not enumerable; keep its kind and message, never its stack.
  const source = value instanceof Error ? { name: value.name, message: value.message } : value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(source)) {
    out[key] = SECRET_KEY.test(key) ? REDACTED : redactValue(inner, depth + 1);
  }
  return out;
}

/** Copies fields, replacing anything under a secret-looking key (at any depth) by "[redacted]". */
export function redact(fields: Record<string, unknown>): Record<string, unknown> {
  return redactValue(fields, 0) as Record<string, unknown>;
}

/** The level named by LOG_LEVEL, or null for a name that is not a level. */
export function parseLogLevel(name: string): LogLevel | null {
  const lower = name.trim().toLowerCase();
  return lower in LEVEL_ORDER ? (lower as LogLevel) : null;
}

export function createLogger(
  levelName = 'info',
  write: (line: string) => void = stdoutLines(),
): Logger {
  const level = parseLogLevel(levelName);
  const threshold = LEVEL_ORDER[level ?? 'info'];
  const emit = (entryLevel: LogLevel, msg: string, fields: Record<string, unknown> = {}): void => {
    if (LEVEL_ORDER[entryLevel] < threshold) return;
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level: entryLevel, msg: redactValue(msg, 0) };
    for (const [key, value] of Object.entries(redact(fields))) {
      if (!RESERVED.has(key)) entry[key] = value;
    }
    write(JSON.stringify(entry) + '\n');
  };
  const logger: Logger = {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
  };
  if (level === null) logger.warn('unknown LOG_LEVEL; using info', { logLevel: levelName, levels: Object.keys(LEVEL_ORDER) });
  return logger;
}

/** A logger that drops everything, for unit tests that do not look at logs. */
export const silentLogger: Logger = createLogger('error', () => undefined);
