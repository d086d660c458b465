// The backup controller: contract §3's state machine, backups and restores as jobs of the job registry, the snapshot cache.
import { z } from 'zod';
import type { JobView } from '../domain/jobs/job.js';
import type { Settings } from '../runtime/context.js';
import { HttpError, badRequest, conflict, internalError, notFound } from '../runtime/errors.js';
import type { JobRegistry, WorkHandle } from '../runtime/job-registry.js';
import type { Logger } from '../runtime/logger.js';
import type { CommandRunner, RunResult } from '../runtime/system.js';
import type { Store } from '../store/store.js';
import { storedBackblazeAccount, type BackblazeAccount } from './backblaze-account.js';
import { backupScope } from './backup-scope.js';
import { BackupStateFiles } from './backup-state-files.js';
import { isProcessRunning, processStartTime } from './process-identity.js';
import { writeRcloneConfig } from './rclone-config.js';
import { ResticSetupError, resticArgs, resticRepository, type ResticRepository } from './restic-command.js';
import { failureReason, isMissingRepository, latestProgress, readTail, savedSnapshotId } from './restic-output.js';
import { RESTORE_STOPPED_UNITS } from './restore-units.js';
import { applyRestoredUserdata, isJsonObject } from './restored-userdata.js';
import { findSnapshot, parseSnapshots, type Snapshot } from './snapshots.js';

export const BACKUP_STATES = ['NO_KEY', 'NOT_INITIALIZED', 'INITIALIZING', 'INITIALIZED', 'BACKING_UP', 'RESTORING', 'ERROR'] as const;
export type BackupState = (typeof BACKUP_STATES)[number];

/** The status endpoint's body. */
export interface BackupStatus {
  status: BackupState;
  /** Fraction of the running backup or restore done, from restic's status lines; 0 when none runs. */
  progress: number;
  error_message: string | null;
}

export interface BackupControllerOptions {
  store: Store;
  system: CommandRunner;
  log: Logger;
  settings: Settings;
  /** Backups and restores are its jobs (types `backup` and `restore`): the one record of each, across restarts. */
  jobs: JobRegistry;
  now?: () => Date;
  /** How often a running restic's progress is read, and a restic left running by an earlier API process looked at. */
  resticPollMs?: number;
  /** How often the snapshot list is refreshed unasked. */
  refreshEveryMs?: number;
}

const RESTIC = 'restic';
const SYSTEMCTL = 'systemctl';
const HOUR_MS = 3_600_000;
/** A first backup of a full server to B2 over a slow line takes many hours; a stuck one is still ended. */
const JOB_TIMEOUT_MS = 72 * HOUR_MS;
/** snapshots, init, cat config, dump: short talks with the repository, possibly over the network. */
const REPOSITORY_TIMEOUT_MS = 10 * 60_000;
const SYSTEMCTL_TIMEOUT_MS = 5 * 60_000;

/** Where the repository stands, as restic last told us. */
type RepositoryState = 'unknown' | 'ready' | 'missing' | 'failed';

type JobKind = 'backup' | 'restore';
const JOB_KINDS: readonly JobKind[] = ['backup', 'restore'];

/** What a backup or restore job keeps in its record, so that whichever API process finishes it can. */
const ResticJobData = z.object({
  /** restore: the snapshot being restored. */
  snapshotId: z.string().optional(),
  shortId: z.string().optional(),
  /** restic's process once started, with its start time so that a reused pid is not mistaken for it. */
  pid: z.number().int().positive().optional(),
  pidStartTime: z.string().optional(),
  /** restore: the units this job stopped and must start again, whatever happens. */
  stoppedUnits: z.array(z.string()).optional(),
});
type ResticJobData = z.infer<typeof ResticJobData>;

function jobData(handle: WorkHandle): ResticJobData {
  const parsed = ResticJobData.safeParse(handle.resumeData);
  return parsed.success ? parsed.data : {};
}

/** A job's failure whose message is meant for the status's error_message. */
class JobFailure extends Error {
  override readonly name = 'JobFailure';
}

export class BackupController {
  private readonly files: BackupStateFiles;
  private readonly now: () => Date;
  private repository: RepositoryState = 'unknown';
  private repositoryError: string | null = null;
  /** When the repository last failed (ISO time): a job's failure and the repository's, the status shows the more recent. */
  private repositoryFailedAt = '';
  /** New Backblaze settings make failures of jobs that ended before them old news. */
  private jobErrorsClearedAt = '';
  /** True while the repository is first looked at, or re-initialised after new Backblaze settings. */
  private initializing = false;
  private snapshotCache: Snapshot[] = [];
  private loading: Promise<void> | null = null;
  private refreshing: Promise<void> | null = null;
  /** A refresh asked for while one runs: it runs after, so it sees the settings of its time. */
  private refreshQueued: Promise<void> | null = null;
  /** New Backblaze settings arrived during a job: look at the repository again once it ends. */
  private recheckAfterJob = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: BackupControllerOptions) {
    this.files = new BackupStateFiles(options.store.paths.backupWorkFolder, options.log);
    this.now = options.now ?? (() => new Date());
    this.snapshotCache = this.files.readSnapshots();
    for (const kind of JOB_KINDS) options.jobs.resumeWorkWith(kind, (handle) => this.resume(kind, handle));
  }

  /** Picks up where an earlier API process left off (the registry resumes its jobs), then loads the snapshot list in the background. */
  start(): void {
    this.options.jobs.resume();
    try {
      if (this.hasKey()) void this.loadRepository(false);
    } catch {
      // userdata.json unreadable right now: status answers for it, and loads once it can be read.
    }
    this.every(this.options.refreshEveryMs ?? 24 * HOUR_MS, () => void this.refreshSnapshots());
  }

  /** Stops the timers and waits for state writes; a running restic keeps going and the next process resumes it. */
  async close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers.clear();
    await this.files.close();
  }

  /** Derived from the newest backup or restore job of the registry, then from the repository's state. */
  status(): BackupStatus {
    const job = this.latestJob();
    if (job?.state === 'running') {
      return { status: job.type === 'backup' ? 'BACKING_UP' : 'RESTORING', progress: job.progress ?? 0, error_message: null };
    }
    const idle = (status: BackupState, message: string | null = null): BackupStatus => ({ status, progress: 0, error_message: message });
    if (!this.hasKey()) return idle('NO_KEY');
    // Settings written into userdata.json by another program: look at the repository now.
    if (this.repository === 'unknown' && this.loading === null) void this.loadRepository(false);
    if (this.initializing || this.repository === 'unknown') return idle('INITIALIZING');
    // Why the last job failed, until one succeeds or new Backblaze settings arrive.
    const jobFailed = job?.state === 'failed' && (job.endedAt ?? '') > this.jobErrorsClearedAt;
    const jobError = jobFailed ? job.error ?? 'The job failed' : null;
    if (this.repository === 'failed' && !(jobError !== null && (job?.endedAt ?? '') >= this.repositoryFailedAt)) return idle('ERROR', this.repositoryError);
    if (jobError !== null) return idle('ERROR', jobError);
    if (this.repository === 'missing') return idle('NOT_INITIALIZED');
    return idle('INITIALIZED');
  }

  /** The cached snapshot list: answered at once, never waiting for the repository. */
  snapshots(): Snapshot[] {
    return this.snapshotCache;
  }

  /** Refreshes the snapshot list in the background. */
  requestReload(): void {
    void this.refreshSnapshots();
  }

  /**
   * Starts a backup as a job of the registry and gives the job (its id names it at /jobs/{id});
   * throws the contract's 400 / 409 at once, before any job exists.
   */
  startBackup(): Promise<JobView> {
    this.assertNoJob();
    const { status } = this.status();
    if (status === 'NO_KEY') throw badRequest('Backblaze settings are not set; send them to /services/restic/backblaze/config first');
    if (status === 'INITIALIZING') throw badRequest('The backup repository is being initialised; try again shortly');
    this.options.log.info('backup started');
    return this.options.jobs.startWork('backup', (handle) => this.settle('backup', handle, () => this.backUp(handle)));
  }

  /** Starts restoring the snapshot named by its short (or full) id as a job and gives the job; throws 400 / 404 / 409 at once. */
  startRestore(backupId: string): Promise<JobView> {
    this.assertNoJob();
    const { status } = this.status();
    if (status === 'NO_KEY') throw badRequest('Backblaze settings are not set');
    if (status === 'NOT_INITIALIZED') throw badRequest('The backup repository is not initialised; there is nothing to restore');
    if (status === 'INITIALIZING') throw badRequest('The backup repository is being initialised; try again shortly');
    const snapshot = findSnapshot(this.snapshotCache, backupId);
    if (snapshot === undefined) throw notFound({ error: 'Backup not found' });
    this.options.log.info('restore started', { snapshot: snapshot.short_id });
    return this.options.jobs.startWork('restore', async (handle) => {
      await handle.remember({ snapshotId: snapshot.id, shortId: snapshot.short_id });
      await this.settle('restore', handle, () => this.restore(handle, snapshot.id));
    });
  }

  /** Stores new Backblaze settings in userdata and rclone.conf, then re-initialises the repository. */
  async saveBackblazeAccount(account: BackblazeAccount): Promise<void> {
    const previousBucket = await this.options.store.userdata.update((data) => {
      const section = isJsonObject(data.backblaze) ? data.backblaze : {};
      const bucket = section.bucket;
      data.backblaze = { ...section, ...account };
      return bucket;
    });
    try {
      await writeRcloneConfig(this.options.store.paths.rcloneConfig, account);
    } catch (error) {
      this.options.log.error('rclone config write failed', { code: (error as NodeJS.ErrnoException).code ?? 'unknown' });
      throw internalError('The Backblaze settings were saved, but the rclone configuration could not be written; it is written again before each backup');
    }
    this.options.log.info('backblaze settings saved', { bucket: account.bucket });
    this.jobErrorsClearedAt = this.now().toISOString();
    if (this.latestJob()?.state === 'running') {
      this.recheckAfterJob = true;
      return;
    }
    if (this.options.settings.resticRepository === undefined && previousBucket !== account.bucket) this.snapshotCache = [];
    this.repository = 'unknown';
    // A load already under way used the old settings: initialise again after it.
    void (this.loading ?? Promise.resolve()).then(() => this.loadRepository(true));
  }

  // ---- state ----------------------------------------------------------------------------------

  private hasKey(): boolean {
    return this.options.settings.resticRepository !== undefined || storedBackblazeAccount(this.options.store.userdata.read()) !== undefined;
  }

  private repositoryFor(): ResticRepository {
    return resticRepository({
      override: this.options.settings.resticRepository,
      password: this.options.settings.resticPassword,
      account: storedBackblazeAccount(this.options.store.userdata.read()),
      rcloneConfig: this.options.store.paths.rcloneConfig,
    });
  }

  /** The newest backup or restore job: one runs at a time, so a running one is always the newest. */
  private latestJob(): JobView | undefined {
    return this.options.jobs.latest(JOB_KINDS);
  }

  private assertNoJob(): void {
    const job = this.latestJob();
    if (job?.state !== 'running') return;
    throw conflict({ error: job.type === 'backup' ? 'A backup is already running' : 'A restore is running' });
  }

  private setRepositoryFailure(message: string): void {
    this.repository = 'failed';
    this.repositoryError = message;
    this.repositoryFailedAt = this.now().toISOString();
  }

  private every(intervalMs: number, work: () => void): NodeJS.Timeout {
    const timer = setInterval(work, intervalMs);
    timer.unref();
    this.timers.add(timer);
    return timer;
  }

  /** Turns any failure into a message for error_message, with no secret in it. */
  private describe(error: unknown): string {
    if (error instanceof JobFailure || error instanceof ResticSetupError) return error.message;
    if (error instanceof HttpError) {
      const detail = isJsonObject(error.body) && typeof error.body.error === 'string' ? error.body.error : error.message;
      return `The API could not use its files: ${detail}`;
    }
    this.options.log.error('backup controller failure', { errorName: (error as Error)?.name, errorMessage: (error as Error)?.message });
    return `Unexpected failure: ${(error as Error)?.message ?? String(error)}`;
  }

  private resticFailure(what: string, result: Pick<RunResult, 'exitCode' | 'stderr'>, repository: ResticRepository): JobFailure {
    if (result.exitCode === 127) return new JobFailure(`${what}: restic could not be started (is it installed and on the API's PATH?)`);
    if (result.exitCode === 124) return new JobFailure(`${what}: restic did not finish in time and was stopped`);
    const reason = failureReason(result.stderr, repository.secrets) ?? `restic exited with code ${result.exitCode}`;
    return new JobFailure(`${what}: ${reason}`);
  }

  // ---- repository and snapshots -----------------------------------------------------------------

  /** INITIALIZING until restic has answered; with `initialize`, a missing repository is created. */
  private loadRepository(initialize: boolean): Promise<void> {
    if (this.loading !== null) return this.loading;
    this.initializing = true;
    this.loading = (async () => {
      try {
        if (initialize) await this.ensureRepository(this.repositoryFor());
        await this.refreshSnapshots();
      } catch (error) {
        this.setRepositoryFailure(this.describe(error));
      } finally {
        this.initializing = false;
        this.loading = null;
      }
    })();
    return this.loading;
  }

  private async writeRcloneConfigFor(repository: ResticRepository): Promise<void> {
    if (repository.account === undefined) return;
    try {
      await writeRcloneConfig(this.options.store.paths.rcloneConfig, repository.account);
    } catch (error) {
      throw new JobFailure(`Could not write the rclone configuration (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`);
    }
  }

  private runRestic(args: string[], repository: ResticRepository): Promise<RunResult> {
    return this.options.system.run(RESTIC, args, { env: repository.env, timeoutMs: REPOSITORY_TIMEOUT_MS, cwd: this.options.store.paths.root });
  }

  /** Opens the repository, creating it when it does not exist yet (`restic cat config` fails → `restic init`). */
  private async ensureRepository(repository: ResticRepository): Promise<void> {
    await this.writeRcloneConfigFor(repository);
    const check = await this.runRestic(resticArgs.catConfig(repository), repository);
    if (check.exitCode !== 0) {
      if (check.exitCode === 127 || !isMissingRepository(check.stderr)) throw this.resticFailure('Could not open the backup repository', check, repository);
      const created = await this.runRestic(resticArgs.init(repository), repository);
      if (created.exitCode !== 0) throw this.resticFailure('Could not initialise the backup repository', created, repository);
      this.options.log.info('backup repository initialised');
    }
    this.repository = 'ready';
    this.repositoryError = null;
  }

  /** Reloads the snapshot list (one at a time); the cache stays as it was when restic cannot answer. */
  private refreshSnapshots(): Promise<void> {
    if (this.refreshing !== null) {
      this.refreshQueued ??= this.refreshing.then(() => {
        this.refreshQueued = null;
        return this.refreshSnapshots();
      });
      return this.refreshQueued;
    }
    this.refreshing = this.loadSnapshots()
      .catch((error: unknown) => this.setRepositoryFailure(this.describe(error)))
      .finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async loadSnapshots(): Promise<void> {
    if (!this.hasKey()) return;
    const repository = this.repositoryFor();
    await this.writeRcloneConfigFor(repository);
    const listed = await this.runRestic(resticArgs.snapshots(repository), repository);
    if (listed.exitCode !== 0) {
      if (listed.exitCode !== 127 && isMissingRepository(listed.stderr)) {
        this.repository = 'missing';
        this.repositoryError = null;
        this.snapshotCache = [];
        await this.files.writeSnapshots([]);
        return;
      }
      throw this.resticFailure('Could not list the backups', listed, repository);
    }
    let snapshots: Snapshot[];
    try {
      snapshots = parseSnapshots(listed.stdout);
    } catch {
      throw new JobFailure('Could not list the backups: restic printed something that is not a snapshot list');
    }
    this.snapshotCache = snapshots;
    this.repository = 'ready';
    this.repositoryError = null;
    await this.files.writeSnapshots(snapshots);
  }

  // ---- jobs -------------------------------------------------------------------------------------

  /**
   * Runs restic for the job with its output going to files: its pid goes into the job's record (for
   * a later process), its progress into the job while it runs.
   */
  private async runTracked(handle: WorkHandle, args: string[], repository: ResticRepository): Promise<{ exitCode: number }> {
    this.files.ensureFolder();
    const started = await this.options.system.start(RESTIC, args, {
      cwd: this.options.store.paths.root,
      env: repository.env,
      stdoutFile: this.files.outputFile,
      stderrFile: this.files.errorFile,
      timeoutMs: JOB_TIMEOUT_MS,
    });
    if (started.pid !== undefined) await handle.remember({ pid: started.pid, pidStartTime: processStartTime(started.pid) });
    const progress = this.every(this.pollMs(), () => this.reportProgress(handle));
    try {
      return await started.exited;
    } finally {
      clearInterval(progress);
      this.timers.delete(progress);
      this.reportProgress(handle);
    }
  }

  private reportProgress(handle: WorkHandle): void {
    const fraction = latestProgress(readTail(this.files.outputFile));
    if (fraction !== undefined) handle.report(fraction);
  }

  private pollMs(): number {
    return this.options.resticPollMs ?? 1000;
  }

  private async backUp(handle: WorkHandle): Promise<void> {
    const repository = this.repositoryFor();
    // Every restic run opens the repository (a deliberate slow key derivation): skip the check when restic just listed it.
    if (this.repository === 'ready') await this.writeRcloneConfigFor(repository);
    else await this.ensureRepository(repository);
    const scope = backupScope(this.options.store.paths);
    const { exitCode } = await this.runTracked(handle, resticArgs.backup(repository, scope.sources, scope.backupExcludes), repository);
    if (exitCode === 0) return;
    const saved = savedSnapshotId(readTail(this.files.outputFile));
    const stderr = readTail(this.files.errorFile);
    // Removed since it was listed: the next backup creates it again.
    if (isMissingRepository(stderr)) this.repository = 'missing';
    if (exitCode === 3 && saved !== undefined) {
      // restic's "snapshot saved, but some files could not be read".
      throw new JobFailure(`The backup was saved as snapshot ${saved}, but some files could not be read: ${failureReason(stderr, repository.secrets) ?? 'see restic\'s output'}`);
    }
    throw this.resticFailure('The backup failed', { exitCode, stderr }, repository);
  }

  private async restore(handle: WorkHandle, snapshotId: string): Promise<void> {
    const repository = this.repositoryFor();
    await this.writeRcloneConfigFor(repository);
    // Recorded before stopping anything: whoever finishes this job starts them again.
    const stoppedUnits = await this.activeUnits();
    await handle.remember({ stoppedUnits });
    if (stoppedUnits.length > 0) {
      const stopped = await this.options.system.run(SYSTEMCTL, ['stop', ...stoppedUnits], { timeoutMs: SYSTEMCTL_TIMEOUT_MS });
      if (stopped.exitCode !== 0) {
        const reason = failureReason(stopped.stderr) ?? `systemctl exited with code ${stopped.exitCode}`;
        throw new JobFailure(`Nothing was restored: the services could not be stopped first (${reason})`);
      }
    }
    const scope = backupScope(this.options.store.paths);
    const { exitCode } = await this.runTracked(handle, resticArgs.restore(repository, snapshotId, this.options.store.paths.root, scope.restoreExcludes), repository);
    if (exitCode !== 0) {
      throw this.resticFailure('The restore failed', { exitCode, stderr: readTail(this.files.errorFile) }, repository);
    }
    await this.restoreUserdata(repository, snapshotId, scope.userdataInSnapshot);
  }

  /** The units of RESTORE_STOPPED_UNITS running now: only those are stopped, and started again. */
  private async activeUnits(): Promise<string[]> {
    const checks = await Promise.all(
      RESTORE_STOPPED_UNITS.map(async (unit) => {
        const result = await this.options.system.run(SYSTEMCTL, ['is-active', '--quiet', unit], { timeoutMs: SYSTEMCTL_TIMEOUT_MS });
        return result.exitCode === 0 ? unit : undefined;
      }),
    );
    return checks.filter((unit): unit is string => unit !== undefined);
  }

  /** Brings the backup's userdata.json back through the store's locked, atomic write. */
  private async restoreUserdata(repository: ResticRepository, snapshotId: string, inSnapshot: string): Promise<void> {
    const dumped = await this.runRestic(resticArgs.dump(repository, snapshotId, inSnapshot), repository);
    if (dumped.exitCode !== 0) {
      if (/not found in snapshot/.test(dumped.stderr)) {
        // Snapshots made by the original API hold /var only.
        this.options.log.info('snapshot holds no userdata.json; settings kept');
        return;
      }
      throw this.resticFailure('The files were restored, but userdata.json could not be read from the backup', dumped, repository);
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
    await this.options.store.userdata.update((current) => applyRestoredUserdata(current, restored));
  }

  /**
   * Ends a job's work however it went: units started again, snapshot list refreshed. Rejects with
   * the reason when it failed, which the registry records as the job's error.
   */
  private async settle(kind: JobKind, handle: WorkHandle, work: () => Promise<void>): Promise<void> {
    let failure: string | null = null;
    try {
      await work();
    } catch (error) {
      failure = this.describe(error);
    }
    const units = jobData(handle).stoppedUnits ?? [];
    if (units.length > 0) {
      const started = await this.options.system.run(SYSTEMCTL, ['start', ...units], { timeoutMs: SYSTEMCTL_TIMEOUT_MS });
      if (started.exitCode !== 0) {
        const message = `Could not start ${units.join(', ')} again (${failureReason(started.stderr) ?? `systemctl exited with code ${started.exitCode}`})`;
        failure = failure === null ? message : `${failure}. ${message}`;
      }
    }
    // Listed before the job ends, so a client that sees the state change finds the new snapshot.
    if (kind === 'backup' && !this.recheckAfterJob) await this.refreshSnapshots();
    const { shortId } = jobData(handle);
    if (failure === null) this.options.log.info(`${kind} finished`, { snapshot: shortId });
    else this.options.log.warn(`${kind} failed`, { reason: failure });
    if (this.recheckAfterJob) {
      // New Backblaze settings arrived meanwhile: INITIALIZING from the moment the job ends.
      this.recheckAfterJob = false;
      this.repository = 'unknown';
      void (this.loading ?? Promise.resolve()).then(() => this.loadRepository(true));
    }
    if (failure !== null) throw new JobFailure(failure);
  }

  /** A job an earlier API process left running: wait for its restic if it still runs, then settle it. */
  private resume(kind: JobKind, handle: WorkHandle): Promise<void> {
    const data = jobData(handle);
    return this.settle(kind, handle, async () => {
      if (data.pid !== undefined && isProcessRunning(data.pid, data.pidStartTime)) {
        this.options.log.info(`${kind} still running from before the restart`, { pid: data.pid });
        await this.processEnd(handle, data.pid, data.pidStartTime);
      }
      this.judgeResumed(kind, handle.job.startedAt, data);
    });
  }

  /** Resolves when the process has ended, reporting its progress meanwhile; never, once the controller is closed. */
  private processEnd(handle: WorkHandle, pid: number, startTime: string | undefined): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.every(this.pollMs(), () => {
        this.reportProgress(handle);
        if (isProcessRunning(pid, startTime)) return;
        clearInterval(timer);
        this.timers.delete(timer);
        resolve();
      });
    });
  }

  /** How a job whose restic this process did not start ended, from what restic left in its files. */
  private judgeResumed(kind: JobKind, startedAt: string, data: ResticJobData): void {
    const reason = failureReason(readTail(this.files.errorFile));
    const because = reason === undefined ? '' : ` (${reason})`;
    if (data.pid === undefined) {
      throw new JobFailure(`The ${kind} started at ${startedAt} was interrupted by a restart of the API before restic ran; start it again`);
    }
    if (kind === 'backup') {
      const saved = savedSnapshotId(readTail(this.files.outputFile));
      if (saved === undefined) throw new JobFailure(`The backup started at ${startedAt} ended before restic saved a snapshot${because}; start it again`);
      this.options.log.info('backup finished while the API restarted', { snapshot: saved });
      return;
    }
    // restic's exit code is lost with the process that started it, so a restore cannot be confirmed.
    throw new JobFailure(`The restore of ${data.shortId ?? data.snapshotId} outlived a restart of the API; restic has ended, but whether it restored everything cannot be confirmed${because}. Run the restore again`);
  }
}
