// Append-only audit trail (JSON lines, mode 0600): who changed what and who failed to log in.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from './logger.js';
import type { AuditedField } from './request-notes.js';

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
}

export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
}

export interface AuditLogOptions {
  /** When the file grows past this size it is renamed to `<file>.1` (replacing the older one). */
  maxBytes?: number;
}

const FILE_MODE = 0o600;
const FOLDER_MODE = 0o700;
/** A path is the caller's to choose; a very long one must not bloat the log. */
const MAX_PATH_LENGTH = 512;
/** The same for a GraphQL operation name, and the number of mutation fields listed. */
const MAX_OPERATION_LENGTH = 128;
const MAX_FIELDS = 50;
const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

/**
 * Writes each entry as one line opened in append mode, so lines from concurrent requests and
 * from a second server process never interleave. A failure to write is logged and swallowed:
 * the audit trail must not take the API down (a full disk already fails the writes it audits).
 */
export function createAuditLog(file: string, log: Logger, options: AuditLogOptions = {}): AuditLog {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let folderReady = false;
  return {
    async record(entry) {
      const line = JSON.stringify({
        ...entry,
        path: entry.path.slice(0, MAX_PATH_LENGTH),
        operation: typeof entry.operation === 'string' ? entry.operation.slice(0, MAX_OPERATION_LENGTH) : entry.operation,
        fields: entry.fields?.slice(0, MAX_FIELDS),
      }) + '\n';
      try {
        if (!folderReady) {
          await fs.mkdir(path.dirname(file), { recursive: true, mode: FOLDER_MODE });
          folderReady = true;
        }
        await appendLine(file, line, maxBytes);
      } catch (error) {
        log.error('audit log write failed', { code: (error as NodeJS.ErrnoException).code ?? 'unknown' });
      }
    },
  };
}

async function appendLine(file: string, line: string, maxBytes: number): Promise<void> {
  if ((await sizeOf(file)) >= maxBytes) await rotate(file);
  // The mode applies when the file is created, so it is never readable by others, not even briefly.
  const handle = await fs.open(file, 'a', FILE_MODE);
  try {
    // A file made by someone else with a wider mode is narrowed before anything is added to it.
    if (((await handle.stat()).mode & 0o777) !== FILE_MODE) await handle.chmod(FILE_MODE);
    await handle.appendFile(line, 'utf8');
  } finally {
    await handle.close();
  }
}

async function rotate(file: string): Promise<void> {
  try {
    await fs.rename(file, `${file}.1`);
  } catch (error) {
    // Another server process rotated it a moment ago.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await fs.stat(file)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}
