// Reads what restic printed: `--json` status lines (progress), the backup summary, and its error text.
import fs from 'node:fs';

/** How much of the output file's end is read for the latest status line. */
const TAIL_BYTES = 16 * 1024;
const MAX_MESSAGE_CHARS = 500;

interface ResticMessage {
  message_type?: unknown;
  percent_done?: unknown;
  snapshot_id?: unknown;
}

function jsonLines(text: string): ResticMessage[] {
  const messages: ResticMessage[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue; // restic mixes plain text lines in (e.g. restore's "restoring …")
    try {
      const value: unknown = JSON.parse(line);
      if (value !== null && typeof value === 'object') messages.push(value as ResticMessage);
    } catch {
      // a line cut at the start of the tail, or still being written
    }
  }
  return messages;
}

/** The fraction (0..1) of the last status line, or undefined when there is none yet. */
export function latestProgress(output: string): number | undefined {
  const messages = jsonLines(output);
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const message = messages[index] as ResticMessage;
    if (message.message_type === 'summary') return 1;
    if (message.message_type === 'status' && typeof message.percent_done === 'number' && Number.isFinite(message.percent_done)) {
      return Math.min(1, Math.max(0, message.percent_done));
    }
  }
  return undefined;
}

/** The id of the snapshot a finished `restic backup --json` saved, from its summary line. */
export function savedSnapshotId(output: string): string | undefined {
  const summary = jsonLines(output).find((message) => message.message_type === 'summary');
  return typeof summary?.snapshot_id === 'string' ? summary.snapshot_id : undefined;
}

/** The end of a file restic writes to (enough for its last lines, without reading hours of output); '' when absent. */
export function readTail(file: string): string {
  let descriptor: number;
  try {
    descriptor = fs.openSync(file, 'r');
  } catch {
    return '';
  }
  try {
    const size = fs.fstatSync(descriptor).size;
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    fs.readSync(descriptor, buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    fs.closeSync(descriptor);
  }
}

/**
 * A short, readable reason from restic's standard error: its `Fatal:` line when it printed one,
 * otherwise its last lines. Any secret in `secrets` is blanked out, in case a tool echoed it.
 */
export function failureReason(stderr: string, secrets: readonly string[] = []): string | undefined {
  const lines = stderr.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const fatal = lines.find((line) => line.startsWith('Fatal:'));
  let reason = fatal ?? lines.slice(-3).join(' ');
  for (const secret of secrets) {
    if (secret !== '') reason = reason.split(secret).join('[redacted]');
  }
  if (reason === '') return undefined;
  return reason.length > MAX_MESSAGE_CHARS ? `${reason.slice(0, MAX_MESSAGE_CHARS)}…` : reason;
}

/** restic's answer when the repository has not been created yet (local folder or rclone remote). */
export function isMissingRepository(stderr: string): boolean {
  return /Is there a repository at the following location\?|unable to open config file/.test(stderr);
}
