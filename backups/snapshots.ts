// Snapshots as `restic snapshots --json` lists them, kept as restic gives them (the list endpoint's body).

/** One snapshot; restic's other fields (tree, paths, hostname, parent, …) are kept untouched. */
export interface Snapshot {
  id: string;
  short_id: string;
  time: string;
  [field: string]: unknown;
}

function isSnapshot(value: unknown): value is Snapshot {
  if (value === null || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  return typeof record.id === 'string' && typeof record.short_id === 'string' && typeof record.time === 'string';
}

/** Parses restic's JSON list; entries without id, short_id and time are dropped. Throws on non-JSON. */
export function parseSnapshots(text: string): Snapshot[] {
  const parsed: unknown = JSON.parse(text.trim() === '' ? '[]' : text);
  if (!Array.isArray(parsed)) throw new Error('restic snapshots did not print a JSON array');
  return parsed.filter(isSnapshot);
}

/** The snapshot a client names by its short id (as listed) or its full id. */
export function findSnapshot(snapshots: readonly Snapshot[], backupId: string): Snapshot | undefined {
  return snapshots.find((snapshot) => snapshot.short_id === backupId || snapshot.id === backupId);
}
