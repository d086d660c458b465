// Append-only audit trail (JSON lines, mode 0600): who changed what and who failed to log in.
import fs, { constants } from 'node:fs';
import path from 'node:path';
import { assertNoLinks, LinkRefusedError, openNoFollowSync } from '../store/no-follow.js';
import type { Logger } from '../core/logger.js';
import type { RefusalSummary } from './refusal-budget.js';
import type { AuditedField } from '../kit/transport.js';

/** One line of the audit log. Only these fields are written: never a body, a header or a query. */
export interface AuditEntry {
  time: string;
  /** Name of the device whose token authenticated the request, null when none did. */
  tokenName: string | null;
  clientAddress: string;
  method: string;
  path: string;
  status: number;
  /** GraphQL: the operation's name as sent (null when none). */
  operation?: string | null;
  /** GraphQL: each mutation that ran and its outcome's code (the HTTP status of its REST twin). */
  fields?: AuditedField[];
  /** What the operation said it did, in words (kit/audit-event.ts); never a secret. */
  events?: readonly string[];
}

export interface AuditLog {
  /** Writes one line: a request, or the summary of refusals not written one by one. */
  record(entry: AuditEntry | RefusalSummary): Promise<void>;
}

export interface AuditLogOptions {
  /** When the file grows past this size it is renamed to `<file>.1`, `.1` to `.2` and so on. */
  maxBytes?: number;
  /** Rotated files kept (`<file>.1` … `<file>.<keptFiles>`); the oldest is dropped. */
  keptFiles?: number;
}

const FILE_MODE = 0o600;
const FOLDER_MODE = 0o700;
/** A path is the caller's to choose; a very long one must not bloat the log (every route's path is far shorter). */
export const MAX_AUDIT_PATH_LENGTH = 128;
/** The same for a GraphQL operation name and a field's name (a schema's names are far shorter). */
const MAX_OPERATION_LENGTH = 128;
const MAX_FIELD_NAME_LENGTH = 128;
/**
 * Mutation fields listed in one line. The GraphQL transport refuses a request with more before it
 * runs (graphql/document-cost.ts), so every field that ran is on record; this only bounds the line.
 */
const MAX_AUDITED_FIELDS = 50;
const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
/** With the refusal budget (runtime/refusal-budget.ts), days of a flood before a change made with a token leaves the files. */
const DEFAULT_KEPT_FILES = 9;

/** An entry with what the client chose (path, GraphQL operation name) cut to size. */
function bounded(entry: AuditEntry): AuditEntry {
  return {
    ...entry,
    path: entry.path.slice(0, MAX_AUDIT_PATH_LENGTH),
    ...(entry.operation === undefined ? {} : { operation: typeof entry.operation === 'string' ? entry.operation.slice(0, MAX_OPERATION_LENGTH) : null }),
    ...(entry.fields === undefined
      ? {}
      : { fields: entry.fields.slice(0, MAX_AUDITED_FIELDS).map(({ field, code }) => ({ field: String(field).slice(0, MAX_FIELD_NAME_LENGTH), code })) }),
    ...(entry.events === undefined ? {} : { events: entry.events.slice(0, MAX_AUDITED_FIELDS) }),
  };
}

/**
 * Writes each entry as one line opened in append mode, so lines from concurrent requests and
 * from a second server process never interleave. A failure to write is logged and swallowed:
 * the audit trail must not take the API down (a full disk already fails the writes it audits).
 */
export function createAuditLog(file: string, log: Logger, options: AuditLogOptions = {}): AuditLog {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const keptFiles = Math.max(1, options.keptFiles ?? DEFAULT_KEPT_FILES);
  let folderReady = false;
  return {
    async record(entry) {
      const line = JSON.stringify('path' in entry ? bounded(entry) : entry) + '\n';
      try {
        if (!folderReady) {
          fs.mkdirSync(path.dirname(file), { recursive: true, mode: FOLDER_MODE });
          folderReady = true;
        }
        appendLine(file, line, maxBytes, keptFiles);
      } catch (error) {
        if (error instanceof LinkRefusedError) log.error('audit log refused: it is a symbolic link, nothing is written through it', { link: error.linkPath });
        else log.error('audit log write failed', { code: (error as NodeJS.ErrnoException).code ?? 'unknown' });
      }
    },
  };
}

/**
 * Synchronous: an append to a local file is a few system calls that the page cache answers at
 * once, where each one made asynchronous cost a trip through libuv's thread pool and a promise,
 * and every audited request pays them.
 */
function appendLine(file: string, line: string, maxBytes: number, keptFiles: number): void {
  // Its own folder swapped for a link would take the lines (and the rotation) elsewhere too.
  assertNoLinks(file, path.dirname(path.dirname(file)));
  if (appendUnlessFull(file, line, maxBytes)) return;
  rotate(file, keptFiles);
  appendUnlessFull(file, line, Infinity);
}

/**
 * Appends the line unless the file has reached `maxBytes` (false then, nothing written). The size
 * and the mode come from the open file itself, so one open serves the check and the write.
 */
function appendUnlessFull(file: string, line: string, maxBytes: number): boolean {
  // The mode applies when the file is created, so it is never readable by others, not even briefly.
  // O_NOFOLLOW: a link planted in its place would make root append to the file it points at.
  const descriptor = openNoFollowSync(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, FILE_MODE);
  try {
    const stats = fs.fstatSync(descriptor);
    if (stats.size >= maxBytes) return false;
    // A file made by someone else with a wider mode is narrowed before anything is added to it.
    if ((stats.mode & 0o777) !== FILE_MODE) fs.fchmodSync(descriptor, FILE_MODE);
    fs.writeFileSync(descriptor, line, 'utf8');
    return true;
  } finally {
    fs.closeSync(descriptor);
  }
}

/** `<file>.<n-1>` → `<file>.<n>` … `<file>` → `<file>.1`; the file beyond `keptFiles` is replaced. */
function rotate(file: string, keptFiles: number): void {
  for (let age = keptFiles - 1; age >= 0; age--) {
    try {
      fs.renameSync(age === 0 ? file : `${file}.${age}`, `${file}.${age + 1}`);
    } catch (error) {
      // Not there yet, or another server process rotated it a moment ago.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}
