// Structured JSON-lines logger; values under secret-looking keys are replaced before writing.
import { stdoutLines } from './log-output.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const SECRET_KEY = /authorization|password|passwd|secret|token(?!_?name)|mnemonic|accountkey|apikey|^key$/i;

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Copies fields, replacing anything under a secret-looking key by "[redacted]". */
export function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (SECRET_KEY.test(key)) out[key] = '[redacted]';
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      out[key] = redact(value as Record<string, unknown>);
    } else out[key] = value;
  }
  return out;
}

function toLevel(name: string): LogLevel {
  return name in LEVEL_ORDER ? (name as LogLevel) : 'info';
}

export function createLogger(
  levelName = 'info',
  write: (line: string) => void = stdoutLines(),
): Logger {
  const threshold = LEVEL_ORDER[toLevel(levelName)];
  const emit = (level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void => {
    if (LEVEL_ORDER[level] < threshold) return;
    const entry = { time: new Date().toISOString(), level, msg, ...redact(fields) };
    write(JSON.stringify(entry) + '\n');
  };
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
  };
}

/** A logger that drops everything, for unit tests that do not look at logs. */
export const silentLogger: Logger = createLogger('error', () => undefined);
