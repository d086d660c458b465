// Polls the backup endpoints of a running server process until a state is reached.
import type { ServerProcess } from './server-process.js';
import { waitFor } from './wait.js';

export interface BackupStatusBody {
  status: string;
  progress: number;
  error_message: string | null;
}

export async function backupStatus(server: ServerProcess, token: string): Promise<BackupStatusBody> {
  const response = await server.fetch('/services/restic/backup/status', { token });
  if (response.status !== 200) throw new Error(`status answered ${response.status}`);
  return (await response.json()) as BackupStatusBody;
}

/** Waits for `state`; fails early with the error message if the controller lands in ERROR instead. */
export function backupStatusBecomes(server: ServerProcess, token: string, state: string, timeoutMs = 120_000): Promise<BackupStatusBody> {
  return waitFor(async () => {
    const current = await backupStatus(server, token);
    if (current.status === 'ERROR' && state !== 'ERROR') throw new Error(`backup ERROR: ${current.error_message}`);
    return current.status === state ? current : undefined;
  }, `backup status ${state}`, timeoutMs);
}
