// Reading the systemd journal through `journalctl -o json`: arguments, cursors and entries.
import type { CommandRunner, RunResult } from '../core/commands.js';
import { isSystemdUnitName } from './unit-name.js';

/**
 * A journal cursor exactly as journalctl prints it: `s=<seqnum id>;i=<seqnum>;b=<boot id>;
 * m=<monotonic>;t=<realtime>;x=<xor hash>`, all hexadecimal. Anything else is refused before
 * journalctl sees it.
 */
export const JOURNAL_CURSOR = /^s=[0-9a-f]{32};i=[0-9a-f]{1,16};b=[0-9a-f]{32};m=[0-9a-f]{1,16};t=[0-9a-f]{1,16};x=[0-9a-f]{1,16}$/;

export interface JournalQuery {
  /** Full unit name, e.g. `nginx.service`, or several (entries of any of them); journalctl's globs allowed. */
  unit: string | readonly string[];
  lines: number;
  /** Newest first (the logs endpoint) or oldest first (a job's last lines). */
  newestFirst: boolean;
  /** Continue after this entry (older ones when newest first). */
  afterCursor?: string;
  /** Only entries from this moment on. */
  since?: Date;
}

/** The argument array of journalctl for a query; every value is its own argument. */
export function journalctlArgs(query: JournalQuery): string[] {
  const units = typeof query.unit === 'string' ? [query.unit] : query.unit;
  // `-u` takes the next argument whatever it is; checked anyway, as jobs.json's units are.
  if (!units.every(isSystemdUnitName)) throw new Error('not a systemd unit name');
  const args = ['-o', 'json', ...units.flatMap((unit) => ['-u', unit]), '-n', String(query.lines)];
  if (query.newestFirst) args.push('--reverse');
  if (query.afterCursor !== undefined) args.push('--after-cursor', query.afterCursor);
  // `@<seconds>` is systemd's notation for a Unix time; a second earlier so the first line is kept.
  if (query.since !== undefined) args.push('--since', `@${Math.max(0, Math.floor(query.since.getTime() / 1000) - 1)}`);
  return args;
}

export interface JournalEntry {
  cursor: string;
  /** ISO 8601 UTC, millisecond precision. */
  time: string | null;
  /** syslog priority, 0 (emergency) to 7 (debug). */
  priority: number | null;
  unit: string | null;
  identifier: string | null;
  pid: number | null;
  message: string;
}

function fieldText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  // journalctl prints a value that is not valid UTF-8 as an array of byte values.
  if (Array.isArray(value) && value.every((byte) => Number.isInteger(byte) && byte >= 0 && byte <= 255)) {
    return Buffer.from(value as number[]).toString('utf8');
  }
  // A field set more than once is an array of its values.
  if (Array.isArray(value)) return value.map(fieldText).filter((text) => text !== null).join('\n');
  return null;
}

function integerOrNull(value: unknown): number | null {
  const text = fieldText(value);
  if (text === null || !/^\d{1,10}$/.test(text)) return null;
  return Number(text);
}

function realtimeToIso(value: unknown): string | null {
  const text = fieldText(value);
  if (text === null || !/^\d{1,20}$/.test(text)) return null;
  const date = new Date(Number(BigInt(text) / 1000n));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** Turns journalctl's JSON lines into entries; lines that are not entries (notices) are skipped. */
export function parseJournalOutput(stdout: string): JournalEntry[] {
  const entries: JournalEntry[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    const cursor = fieldText(record.__CURSOR);
    if (cursor === null) continue;
    entries.push({
      cursor,
      time: realtimeToIso(record.__REALTIME_TIMESTAMP),
      priority: integerOrNull(record.PRIORITY),
      // systemd's own lines about a unit ("Started …") name it in UNIT; the unit's lines in _SYSTEMD_UNIT.
      unit: fieldText(record.UNIT) ?? fieldText(record._SYSTEMD_UNIT),
      identifier: fieldText(record.SYSLOG_IDENTIFIER),
      pid: integerOrNull(record._PID),
      message: fieldText(record.MESSAGE) ?? '',
    });
  }
  return entries;
}

/** journalctl has this long to answer; reading a few hundred entries takes well under a second. */
const JOURNALCTL_TIMEOUT_MS = 20_000;

export type JournalRead = { ok: true; entries: JournalEntry[] } | { ok: false; result: RunResult };

/** Runs journalctl for a query; a non-zero exit is returned, not thrown, for the caller to judge. */
export async function readJournal(system: CommandRunner, query: JournalQuery): Promise<JournalRead> {
  const result = await system.run('journalctl', journalctlArgs(query), { timeoutMs: JOURNALCTL_TIMEOUT_MS });
  if (result.exitCode !== 0) return { ok: false, result };
  return { ok: true, entries: parseJournalOutput(result.stdout) };
}
