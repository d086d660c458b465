// A real logger (with its redaction) whose JSON lines are kept in memory for tests to inspect.
import { createLogger } from '../../runtime/logger.js';
import { type Logger } from '../../core/logger.js';

export interface RecordingLogger {
  log: Logger;
  /** Every line written so far, raw (for "never contains X" checks). */
  text(): string;
  /** Every line written so far, parsed. */
  entries(): Array<Record<string, unknown>>;
}

export function recordingLogger(level = 'debug'): RecordingLogger {
  const lines: string[] = [];
  return {
    log: createLogger(level, (line) => lines.push(line)),
    text: () => lines.join(''),
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
