// The services whose data a restore rewrites: stopped before restic writes under /var, started again after.
import type { CommandRunner } from '../core/commands.js';
import type { WorkHandle } from '../jobs/job-registry.js';
import { JobFailure } from './job-failure.js';
import { failureReason } from './restic-output.js';

/**
 * The service units of the contract (mail, Bitwarden, Gitea, Nextcloud, OCserv, Pleroma) plus the
 * databases and mail filters that keep files open under /var. nginx stays up: it only serves, and
 * the app reaches this API (and polls the restore's status) through it.
 */
export const RESTORE_STOPPED_UNITS: readonly string[] = [
  'dovecot2',
  'postfix',
  'rspamd',
  'redis-rspamd',
  'opendkim',
  'vaultwarden',
  'gitea',
  'phpfpm-nextcloud',
  'ocserv',
  'pleroma',
  'postgresql',
];

const SYSTEMCTL = 'systemctl';
const SYSTEMCTL_TIMEOUT_MS = 5 * 60_000;

/** The units of `units` running now: only those are stopped, and started again. */
export async function activeUnits(system: CommandRunner, units: readonly string[] = RESTORE_STOPPED_UNITS): Promise<string[]> {
  const checks = await Promise.all(
    units.map(async (unit) => {
      const result = await system.run(SYSTEMCTL, ['is-active', '--quiet', '--', unit], { timeoutMs: SYSTEMCTL_TIMEOUT_MS });
      return result.exitCode === 0 ? unit : undefined;
    }),
  );
  return checks.filter((unit): unit is string => unit !== undefined);
}

/** Records the units (whoever finishes the job starts them again), then stops them. */
export async function stopUnits(system: CommandRunner, handle: WorkHandle, units: string[]): Promise<void> {
  await handle.remember({ stoppedUnits: units });
  if (units.length === 0) return;
  const stopped = await system.run(SYSTEMCTL, ['stop', '--', ...units], { timeoutMs: SYSTEMCTL_TIMEOUT_MS });
  if (stopped.exitCode !== 0) {
    const reason = failureReason(stopped.stderr) ?? `systemctl exited with code ${stopped.exitCode}`;
    throw new JobFailure(`Nothing was restored: the services could not be stopped first (${reason})`);
  }
}

/** Starts the units a job stopped; gives why that failed, or null. */
export async function startUnitsAgain(system: CommandRunner, units: readonly string[]): Promise<string | null> {
  if (units.length === 0) return null;
  const started = await system.run(SYSTEMCTL, ['start', '--', ...units], { timeoutMs: SYSTEMCTL_TIMEOUT_MS });
  if (started.exitCode === 0) return null;
  return `Could not start ${units.join(', ')} again (${failureReason(started.stderr) ?? `systemctl exited with code ${started.exitCode}`})`;
}
