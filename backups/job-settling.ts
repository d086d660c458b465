// How a backup or restore job's work ends, however it went (the units it stopped started again, the
// snapshot list refreshed, the outcome logged), and jobs an earlier API process left, followed to their end.
import type { WorkHandle } from '../jobs/job-registry.js';
import type { CommandRunner } from '../core/commands.js';
import type { Logger } from '../core/logger.js';
import type { ServerPaths } from '../store/server-paths.js';
import { describeFailure, JobFailure } from './job-failure.js';
import type { JobLane } from './job-lane.js';
import type { RepositoryState } from './repository-state.js';
import { startUnitsAgain } from './restore-units.js';
import { removeRestoreStaging, restoreStagingFolder } from './safe-restore.js';
import { resticJobData, type JobKind, type TrackedRestic } from './tracked-restic.js';

export interface JobSettlerOptions {
  paths: ServerPaths;
  system: CommandRunner;
  log: Logger;
  restic: TrackedRestic;
  repositoryState: RepositoryState;
  /** Backups, restores and prunes, one at a time (each holds restic's lock). */
  lane: JobLane;
}

export class JobSettler {
  /** New Backblaze settings arrived during a job: look at the repository again once it ends. */
  private recheckPending = false;

  constructor(private readonly options: JobSettlerOptions) {}

  /** Runs a job's work in its turn in the lane, then settles it. */
  run(kind: JobKind, handle: WorkHandle, work: () => Promise<void>): Promise<void> {
    return this.options.lane.run(() => this.settle(kind, handle, work));
  }

  /** A job an earlier API process left running: its restic followed to its end, then settled here. */
  resume(kind: JobKind, handle: WorkHandle): Promise<void> {
    // In the lane: nothing new starts on the repository before what an earlier process left has ended.
    return this.run(kind, handle, async () => {
      try {
        await this.options.restic.resume(kind, handle);
      } finally {
        // What a restore of an earlier process staged is not moved in (it may be partial); the next restore starts afresh.
        if (kind === 'restore') removeRestoreStaging(restoreStagingFolder(this.options.paths.apiStateFolder));
      }
    });
  }

  /** New settings arrived while a job runs: the repository is looked at again once it ends, not under it. */
  recheckAfterJob(): void {
    this.recheckPending = true;
  }

  /**
   * Ends a job's work however it went: units started again, snapshot list refreshed. Rejects with
   * the reason when it failed, which the registry records as the job's error.
   */
  private async settle(kind: JobKind, handle: WorkHandle, work: () => Promise<void>): Promise<void> {
    const { system, log, repositoryState } = this.options;
    let failure: string | null = null;
    try {
      await work();
    } catch (error) {
      failure = describeFailure(error, log);
    }
    const notStarted = await startUnitsAgain(system, resticJobData(handle).stoppedUnits ?? []);
    if (notStarted !== null) failure = failure === null ? notStarted : `${failure}. ${notStarted}`;
    // Listed before the job ends, so a client that sees the state change finds the new snapshot.
    if (kind === 'backup' && !this.recheckPending) await repositoryState.refreshSnapshots();
    const { shortId } = resticJobData(handle);
    if (failure === null) log.info(`${kind} finished`, { snapshot: shortId, service: handle.service });
    else log.warn(`${kind} failed`, { service: handle.service, reason: failure });
    if (this.recheckPending) {
      // New Backblaze settings arrived meanwhile: INITIALIZING from the moment the job ends.
      this.recheckPending = false;
      repositoryState.lookAgain();
    }
    if (failure !== null) throw new JobFailure(failure);
  }
}
