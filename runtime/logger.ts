// Structured JSON-lines logger; secrets are removed from every entry before it is written.
import type { Logger, LogLevel, RequestLine } from '../core/logger.js';
import { stdoutLines } from './log-output.js';

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

/** Any white space: a quoted credential needs some, and most logged strings (ids, paths) have none. */
const WHITE_SPACE = /\s/;

function redactText(text: string): string {
  return WHITE_SPACE.test(text) ? text.replace(BEARER_IN_TEXT, `$1 ${REDACTED}`) : text;
}

// Under load many lines share a millisecond; formatting the time once per millisecond is enough.
let isoMs = NaN;
let isoText = '';

function isoTime(): string {
  const ms = Date.now();
  if (ms !== isoMs) {
    isoMs = ms;
    isoText = new Date(ms).toISOString();
  }
  return isoText;
}

/** Copies the enumerable fields of `source` into `target`, redacted, skipping the names in `skip`. */
function copyRedacted(target: Record<string, unknown>, source: object, depth: number, skip?: ReadonlySet<string>): Record<string, unknown> {
  for (const key in source) {
    if (!Object.hasOwn(source, key) || skip?.has(key) === true) continue;
    target[key] = SECRET_KEY.test(key) ? REDACTED : redactValue((source as Record<string, unknown>)[key], depth + 1);
  }
  return target;
}

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  // An Error's useful parts are not enumerable; keep its kind and message, never its stack.
  const source = value instanceof Error ? { name: value.name, message: value.message } : value;
  return copyRedacted({}, source, depth);
}

/** A string as JSON, redacted. */
const jsonText = (text: string): string => JSON.stringify(redactText(text));

/**
 * What info('request', line) writes, from a template: no object, no field loop, no key checks (none of
 * these names is secret-looking; a test keeps it so), and the free text redacted all the same.
 */
function formatRequestLine(line: RequestLine): string {
  const tokenName = line.tokenName === null ? 'null' : jsonText(line.tokenName);
  return (
    `{"time":"${isoTime()}","level":"info","msg":"request","requestId":${jsonText(line.requestId)},"method":${jsonText(line.method)},` +
    `"path":${jsonText(line.path)},"status":${JSON.stringify(line.status)},"durationMs":${JSON.stringify(line.durationMs)},"tokenName":${tokenName}}\n`
  );
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
    const entry = copyRedacted({ time: isoTime(), level: entryLevel, msg: redactText(msg) }, fields, 0, RESERVED);
    write(JSON.stringify(entry) + '\n');
  };
  const logger: Logger = {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    request: (line) => {
      if (LEVEL_ORDER.info >= threshold) write(formatRequestLine(line));
    },
  };
  if (level === null) logger.warn('unknown LOG_LEVEL; using info', { logLevel: levelName, levels: Object.keys(LEVEL_ORDER) });
  return logger;
}

/** A logger that drops everything, for unit tests that do not look at logs. */
export const silentLogger: Logger = createLogger('error', () => undefined);
