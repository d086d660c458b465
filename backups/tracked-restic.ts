// restic as a job's process: its pid in the job's record, its progress in the job, followed to its end by whichever API process is running.
import { z } from 'zod';
import type { WorkHandle } from '../jobs/job-registry.js';
import type { Logger } from '../core/logger.js';
import type { CommandRunner } from '../core/commands.js';
import type { BackupStateFiles } from './backup-state-files.js';
import { JobFailure } from './job-failure.js';
import { isProcessRunning, processStartTime } from './process-identity.js';
import { RESTORE_STOPPED_UNITS } from './restore-units.js';
import { failureReason, latestProgress, readTail, savedSnapshotId } from './restic-output.js';

export type JobKind = 'backup' | 'restore';

/**
 * What a backup or restore job keeps in its record, so that whichever API process finishes it can.
 * jobs.json is not trusted (a local user may have edited it): what goes to commands again is checked here.
 */
const ResticJobData = z.object({
  /** restore: the snapshot being restored. */
  snapshotId: z.string().optional(),
  shortId: z.string().optional(),
  /** restic's process once started (a real process id: kill(0) or kill(-1) would mean a whole group), with its start time so that a reused pid is not mistaken for it. */
  pid: z.number().int().positive().optional().catch(undefined),
  pidStartTime: z.string().optional(),
  /** restore: the units this job stopped and must start again, whatever happens; they go to `systemctl start`, so only units this API stops are kept. */
  stoppedUnits: z.array(z.string()).optional().catch([]).transform((units) => units?.filter((unit) => RESTORE_STOPPED_UNITS.includes(unit))),
});
export type ResticJobData = z.infer<typeof ResticJobData>;

export function resticJobData(handle: WorkHandle): ResticJobData {
  const parsed = ResticJobData.safeParse(handle.resumeData);
  return parsed.success ? parsed.data : { stoppedUnits: undefined };
}

const RESTIC = 'restic';
const HOUR_MS = 3_600_000;
/** A first backup of a full server to B2 over a slow line takes many hours; a stuck one is still ended. */
const JOB_TIMEOUT_MS = 72 * HOUR_MS;

export interface TrackedResticOptions {
  system: CommandRunner;
  log: Logger;
  files: BackupStateFiles;
  /** restic runs here (the server root: the paths it backs up and restores are under it). */
  cwd: string;
  /** How often restic's output is read for progress, and an earlier process's restic looked at. */
  pollMs: number;
}

export class TrackedRestic {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: TrackedResticOptions) {}

  /** Runs restic for the job, its output going to files; gives its exit code. */
  async run(handle: WorkHandle, args: string[], env: Record<string, string>): Promise<{ exitCode: number }> {
    const { files } = this.options;
    files.ensureFolder();
    const started = await this.options.system.start(RESTIC, args, {
      cwd: this.options.cwd,
      env,
      stdoutFile: files.outputFile,
      stderrFile: files.errorFile,
      timeoutMs: JOB_TIMEOUT_MS,
    });
    if (started.pid !== undefined) await handle.remember({ pid: started.pid, pidStartTime: processStartTime(started.pid) });
    const progress = this.every(() => this.reportProgress(handle));
    try {
      return await started.exited;
    } finally {
      this.stop(progress);
      this.reportProgress(handle);
    }
  }

  /**
   * Finishes a job an earlier API process started: waits for its restic if it still runs (its
   * progress meanwhile), then judges from what restic left in its files; throws a JobFailure.
   */
  async resume(kind: JobKind, handle: WorkHandle): Promise<void> {
    const data = resticJobData(handle);
    if (data.pid !== undefined && isProcessRunning(data.pid, data.pidStartTime)) {
      this.options.log.info(`${kind} still running from before the restart`, { pid: data.pid });
      await this.processEnd(handle, data.pid, data.pidStartTime);
    }
    this.judgeResumed(kind, handle.job.startedAt, data);
  }

  /** Stops reading progress and following processes; a running restic keeps going for the next API process. */
  close(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers.clear();
  }

  private reportProgress(handle: WorkHandle): void {
    const fraction = latestProgress(readTail(this.options.files.outputFile));
    if (fraction !== undefined) handle.report(fraction);
  }

  /** Resolves when the process has ended; never, once closed. */
  private processEnd(handle: WorkHandle, pid: number, startTime: string | undefined): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.every(() => {
        this.reportProgress(handle);
        if (isProcessRunning(pid, startTime)) return;
        this.stop(timer);
        resolve();
      });
    });
  }

  /** How a job whose restic this process did not start ended: restic's exit code is lost with the process that started it. */
  private judgeResumed(kind: JobKind, startedAt: string, data: ResticJobData): void {
    const { files } = this.options;
    const reason = failureReason(readTail(files.errorFile));
    const because = reason === undefined ? '' : ` (${reason})`;
    if (data.pid === undefined) {
      throw new JobFailure(`The ${kind} started at ${startedAt} was interrupted by a restart of the API before restic ran; start it again`);
    }
    if (kind === 'backup') {
      const saved = savedSnapshotId(readTail(files.outputFile));
      if (saved === undefined) throw new JobFailure(`The backup started at ${startedAt} ended before restic saved a snapshot${because}; start it again`);
      this.options.log.info('backup finished while the API restarted', { snapshot: saved });
      return;
    }
    // A restore cannot be confirmed without its exit code.
    throw new JobFailure(`The restore of ${data.shortId ?? data.snapshotId} outlived a restart of the API; restic has ended, but whether it restored everything cannot be confirmed${because}. Run the restore again`);
  }

  private every(work: () => void): NodeJS.Timeout {
    const timer = setInterval(work, this.options.pollMs);
    timer.unref();
    this.timers.add(timer);
    return timer;
  }

  private stop(timer: NodeJS.Timeout): void {
    clearInterval(timer);
    this.timers.delete(timer);
  }
}
