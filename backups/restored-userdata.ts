// Which settings a restore brings back: the backup's whole userdata.json, except the Backblaze account in use now.
import type { Userdata } from '../store/userdata.js';

/** True for a JSON object (what userdata.json must hold). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Replaces `current` (inside the store's locked update) by `restored`. The Backblaze account is
 * the one that just reached the backup; an older one from the backup may have been revoked.
 */
export function applyRestoredUserdata(current: Userdata, restored: Record<string, unknown>): void {
  const account = current.backblaze;
  for (const key of Object.keys(current)) delete current[key];
  Object.assign(current, restored);
  if (account === undefined) delete current.backblaze;
  else current.backblaze = account;
}
