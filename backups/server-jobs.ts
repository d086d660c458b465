// The whole server's backup and restore (REST's /services/restic): everything in the backup scope,
// userdata.json brought back through the store.
import type { WorkHandle } from '../jobs/job-registry.js';
import { backupScope } from './backup-scope.js';
import { JobFailure, resticFailure } from './job-failure.js';
import { preparedStaging, restoreThroughStaging, runBackup, type JobWork } from './job-steps.js';
import { resticArgs, type ResticRepository } from './restic-command.js';
import { activeUnits, stopUnits } from './restore-units.js';
import { applyRestoredUserdata, isJsonObject } from './restored-userdata.js';

export async function backUpServer(work: JobWork, handle: WorkHandle): Promise<void> {
  const repository = await work.repositoryState.openForBackup();
  const scope = backupScope(work.store.paths);
  await runBackup(work, handle, repository, resticArgs.backup(repository, scope.sources, scope.backupExcludes));
}

/** Restores the snapshot with the services that keep files open under /var stopped meanwhile. */
export async function restoreServer(work: JobWork, handle: WorkHandle, snapshotId: string): Promise<void> {
  const repository = await work.repositoryState.connected();
  // restic writes into a root-only folder, never straight into the root where a user may have planted links.
  const staging = preparedStaging(work.store.paths);
  await stopUnits(work.system, handle, await activeUnits(work.system));
  const refused = await restoreThroughStaging(work, handle, repository, snapshotId, staging);
  await restoreUserdata(work, repository, snapshotId, backupScope(work.store.paths).userdataInSnapshot);
  if (refused !== null) throw new JobFailure(refused);
}

/** Brings the backup's userdata.json back through the store's locked, atomic write. */
async function restoreUserdata(work: JobWork, repository: ResticRepository, snapshotId: string, inSnapshot: string): Promise<void> {
  const dumped = await work.repositoryState.runRestic(resticArgs.dump(repository, snapshotId, inSnapshot), repository);
  if (dumped.exitCode !== 0) {
    if (/not found in snapshot/.test(dumped.stderr)) {
      // Snapshots made by the original API hold /var only.
      work.log.info('snapshot holds no userdata.json; settings kept');
      return;
    }
    throw resticFailure('The files were restored, but userdata.json could not be read from the backup', dumped, repository);
  }
  let restored: unknown;
  try {
    restored = JSON.parse(dumped.stdout);
  } catch {
    restored = undefined;
  }
  if (!isJsonObject(restored)) {
    throw new JobFailure('The files were restored, but the backup\'s userdata.json is not a JSON object; the current settings were kept');
  }
  await work.store.userdata.update((current) => applyRestoredUserdata(current, restored));
}
