// One service's backup and restore (the app's GraphQL operations): its data folders only, tagged
// with the service, its units stopped while its data is replaced.
import type { ServiceDescriptor } from '../domain/service-catalog.js';
import type { WorkHandle } from '../jobs/job-registry.js';
import { describeFailure, JobFailure } from './job-failure.js';
import { preparedStaging, restoreThroughStaging, runBackup, type JobWork } from './job-steps.js';
import { resticArgs } from './restic-command.js';
import { activeUnits, stopUnits } from './restore-units.js';
import { rotateAutomaticSnapshots } from './rotation.js';
import { removeRestoreStaging } from './safe-restore.js';
import { serviceRestoreUnits, serviceSources } from './service-scope.js';
import { serviceSnapshotTags, type BackupReason } from './snapshot-tags.js';

/** How a service's restore treats the restored files: INPLACE moves them in, the other has restic verify them first. */
export type RestoreStrategy = 'INPLACE' | 'DOWNLOAD_VERIFY_OVERWRITE';

/** Backs up the service's data folders; an automatic backup then rotates the service's automatic snapshots. */
export async function backUpService(work: JobWork, handle: WorkHandle, service: ServiceDescriptor, reason: BackupReason): Promise<void> {
  const repository = await work.repositoryState.openForBackup();
  const sources = serviceSources(work.store.paths, service);
  if (sources.length === 0) throw new JobFailure(`${service.displayName} has no data on this server: none of its folders exists`);
  await runBackup(work, handle, repository, resticArgs.backup(repository, sources, [], serviceSnapshotTags(service.id, reason)));
  if (reason !== 'AUTO') return;
  try {
    await rotateAutomaticSnapshots(work.repositoryState, repository, service, work.preferences.read().quotas);
  } catch (error) {
    // The snapshot was saved: the job succeeded; rotation is tried again after the next one.
    work.log.warn('rotation failed', { service: service.id, reason: describeFailure(error, work.log) });
  }
}

/** Restores one of the service's snapshots with its units stopped, after a PRE_RESTORE snapshot of what it replaces. */
export async function restoreService(work: JobWork, handle: WorkHandle, service: ServiceDescriptor, snapshotId: string, strategy: RestoreStrategy): Promise<void> {
  const repository = await work.repositoryState.openForBackup();
  const { paths } = work.store;
  const staging = preparedStaging(paths);
  await stopUnits(work.system, handle, await activeUnits(work.system, serviceRestoreUnits(service)));
  // What is replaced is kept first, so a wrong restore can be undone; with no data yet there is nothing to keep.
  const sources = serviceSources(paths, service);
  if (sources.length > 0) {
    try {
      await runBackup(work, handle, repository, resticArgs.backup(repository, sources, [], serviceSnapshotTags(service.id, 'PRE_RESTORE')));
    } catch (error) {
      removeRestoreStaging(staging);
      throw new JobFailure(`Nothing was restored: the snapshot of the current data failed first (${describeFailure(error, work.log)})`);
    }
  }
  let refused: string | null;
  try {
    refused = await restoreThroughStaging(work, handle, repository, snapshotId, staging, strategy === 'DOWNLOAD_VERIFY_OVERWRITE');
  } finally {
    await work.repositoryState.refreshSnapshots();
  }
  if (refused !== null) throw new JobFailure(refused);
}
