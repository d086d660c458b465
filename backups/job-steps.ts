// The steps the backup and restore jobs share: `restic backup` as the job's process, and a restore
// through the staging folder. The jobs themselves are in server-jobs.ts and service-jobs.ts.
import type { WorkHandle } from '../jobs/job-registry.js';
import type { CommandRunner } from '../core/commands.js';
import type { Logger } from '../core/logger.js';
import type { ServerPaths } from '../store/server-paths.js';
import type { Store } from '../store/store.js';
import type { BackupPreferencesFile } from './backup-preferences.js';
import { backupScope } from './backup-scope.js';
import type { BackupStateFiles } from './backup-state-files.js';
import { JobFailure, resticFailure } from './job-failure.js';
import type { RepositoryState } from './repository-state.js';
import { resticArgs, type ResticRepository } from './restic-command.js';
import { failureReason, isMissingRepository, readTail, savedSnapshotId } from './restic-output.js';
import { moveStagedTree, prepareRestoreStaging, refusedPathsMessage, removeRestoreStaging, restoreStagingFolder } from './safe-restore.js';
import type { TrackedRestic } from './tracked-restic.js';

/** What the work of a backup or restore job uses; the controller builds it once. */
export interface JobWork {
  store: Store;
  system: CommandRunner;
  log: Logger;
  /** restic as the job's process, its output in `files`. */
  restic: TrackedRestic;
  files: BackupStateFiles;
  repositoryState: RepositoryState;
  /** The rotation quotas, read once a service's automatic backup is saved. */
  preferences: BackupPreferencesFile;
}

/** Runs `restic backup` as the job's process; throws a JobFailure unless it saved a snapshot of everything. */
export async function runBackup(work: JobWork, handle: WorkHandle, repository: ResticRepository, args: string[]): Promise<void> {
  const { exitCode } = await work.restic.run(handle, args, repository.env);
  if (exitCode === 0) return;
  const saved = savedSnapshotId(readTail(work.files.outputFile));
  const stderr = readTail(work.files.errorFile);
  // Removed since it was listed: the next backup creates it again.
  if (isMissingRepository(stderr)) work.repositoryState.markMissing();
  if (exitCode === 3 && saved !== undefined) {
    // restic's "snapshot saved, but some files could not be read".
    throw new JobFailure(`The backup was saved as snapshot ${saved}, but some files could not be read: ${failureReason(stderr, repository.secrets) ?? 'see restic\'s output'}`);
  }
  throw resticFailure('The backup failed', { exitCode, stderr }, repository);
}

/** An empty root-only folder for restic to restore into, or a failure saying nothing was restored. */
export function preparedStaging(paths: ServerPaths): string {
  const staging = restoreStagingFolder(paths.apiStateFolder);
  try {
    prepareRestoreStaging(paths.root, staging);
  } catch (error) {
    throw new JobFailure(`Nothing was restored: the staging folder could not be prepared (${(error as Error).message})`);
  }
  return staging;
}

/**
 * Runs `restic restore` of the snapshot into the staging folder as the job's process, then moves
 * the restored tree into the root; the staging folder is removed however that went. Gives the
 * message naming the paths that were not moved in, or null. `verify`: restic reads every restored
 * file back and compares it with the snapshot before anything is moved.
 */
export async function restoreThroughStaging(
  work: JobWork,
  handle: WorkHandle,
  repository: ResticRepository,
  snapshotId: string,
  staging: string,
  verify = false,
): Promise<string | null> {
  const { paths } = work.store;
  const scope = backupScope(paths);
  try {
    const { exitCode } = await work.restic.run(handle, resticArgs.restore(repository, snapshotId, staging, scope.restoreExcludes, verify), repository.env);
    if (exitCode !== 0) {
      const what = verify ? 'The restore failed or its files did not verify; the current files were kept' : 'The restore failed';
      throw resticFailure(what, { exitCode, stderr: readTail(work.files.errorFile) }, repository);
    }
    return refusedPathsMessage(moveStagedTree(staging, paths.root, scope.keepOut));
  } finally {
    removeRestoreStaging(staging);
  }
}
