// The rclone configuration whose [backblaze] remote restic reaches B2 through; written 0600, atomically.
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../store/atomic-write.js';
import type { BackblazeAccount } from './backblaze-account.js';

const REMOTE = 'backblaze';
const SECTION_HEADER = /^\s*\[([^\]]*)\]\s*$/;

/** The lines of an rclone config but its [backblaze] section, without trailing blank lines. */
function linesWithoutBackblaze(existing: string): string[] {
  const kept: string[] = [];
  let inBackblaze = false;
  for (const line of existing.split('\n')) {
    const header = SECTION_HEADER.exec(line);
    if (header !== null) inBackblaze = (header[1] ?? '').trim() === REMOTE;
    if (!inBackblaze) kept.push(line);
  }
  while (kept.length > 0 && (kept[kept.length - 1] ?? '').trim() === '') kept.pop();
  return kept;
}

/** The config without its [backblaze] remote. */
export function withoutBackblazeRemote(existing: string): string {
  const kept = linesWithoutBackblaze(existing);
  return kept.length === 0 ? '' : `${kept.join('\n')}\n`;
}

/** Replaces the [backblaze] section of an rclone config, keeping every other remote as it was. */
export function withBackblazeRemote(existing: string, account: BackblazeAccount): string {
  const kept = linesWithoutBackblaze(existing);
  if (kept.length > 0) kept.push('');
  kept.push(`[${REMOTE}]`, 'type = b2', `account = ${account.accountId}`, `key = ${account.accountKey}`, '');
  return kept.join('\n');
}

function readIfPresent(file: string): { text: string; mode: number } | undefined {
  try {
    return { text: fs.readFileSync(file, 'utf8'), mode: fs.statSync(file).mode & 0o777 };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Makes the file hold `account` under [backblaze] with mode 0600; true when it had to be written. */
export async function writeRcloneConfig(file: string, account: BackblazeAccount): Promise<boolean> {
  const current = readIfPresent(file);
  const wanted = withBackblazeRemote(current?.text ?? '', account);
  if (current !== undefined && current.text === wanted && current.mode === 0o600) return false;
  fs.mkdirSync(path.dirname(path.dirname(file)), { recursive: true });
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, wanted, { mode: 0o600 });
  return true;
}

/** Removes the [backblaze] remote (the repository was detached), keeping every other remote; nothing to do without the file. */
export async function removeBackblazeRemote(file: string): Promise<void> {
  const current = readIfPresent(file);
  if (current === undefined) return;
  const kept = withoutBackblazeRemote(current.text);
  await writeFileAtomic(file, kept, { mode: 0o600 });
}
