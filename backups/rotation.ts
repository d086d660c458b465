// Rotation: which automatic snapshots of a service `restic forget` keeps, from the owner's quotas, and the forget itself.
import type { ServiceDescriptor } from '../domain/service-catalog.js';
import type { AutobackupQuotas } from './backup-preferences.js';
import { resticFailure } from './job-failure.js';
import type { RepositoryState } from './repository-state.js';
import { resticArgs, type ResticRepository } from './restic-command.js';

/**
 * -1 means "keep every one of that kind". restic before 0.16 has no unlimited value for its
 * --keep-* flags, so it is written as a count no server reaches (a snapshot a minute for a century).
 */
const EVERY_ONE = 60 * 24 * 366 * 100;

const KEEP_FLAGS: ReadonlyArray<[keyof AutobackupQuotas, string]> = [
  ['last', '--keep-last'],
  ['daily', '--keep-daily'],
  ['weekly', '--keep-weekly'],
  ['monthly', '--keep-monthly'],
  ['yearly', '--keep-yearly'],
];

/**
 * restic's --keep-* flags for the quotas, or undefined when rotation must not run: when every
 * automatic snapshot is kept anyway (`last` is -1), and when no kind keeps anything (all 0), which
 * restic refuses, and which would otherwise remove every automatic snapshot the service has.
 */
export function keepFlags(quotas: AutobackupQuotas): string[] | undefined {
  if (quotas.last === -1) return undefined;
  const flags = KEEP_FLAGS.flatMap(([kind, flag]) => {
    const count = quotas[kind];
    if (count === 0) return [];
    return [flag, String(count === -1 ? EVERY_ONE : count)];
  });
  return flags.length === 0 ? undefined : flags;
}

/** Forgets the service's automatic snapshots beyond the quotas; explicit and pre-restore ones are never selected. */
export async function rotateAutomaticSnapshots(
  repositoryState: Pick<RepositoryState, 'runPrune'>,
  repository: ResticRepository,
  service: ServiceDescriptor,
  quotas: AutobackupQuotas,
): Promise<void> {
  const keep = keepFlags(quotas);
  if (keep === undefined) return;
  const result = await repositoryState.runPrune(resticArgs.rotate(repository, service.id, keep), repository);
  if (result.exitCode !== 0) throw resticFailure(`Could not rotate the automatic snapshots of ${service.displayName}`, result, repository);
}
