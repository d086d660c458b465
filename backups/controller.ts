// The backup controller: contract §3's state machine, restic jobs in the background, the snapshot cache.
import type { Settings } from '../runtime/context.js';
import { HttpError, badRequest, conflict, internalError, notFound } from '../runtime/errors.js';
import type { Logger } from '../runtime/logger.js';
import type { CommandRunner, RunResult } from '../runtime/system.js';
import type { Store } from '../store/store.js';
import { storedBackblazeAccount, type BackblazeAccount } from './backblaze-account.js';
import { backupScope } from './backup-scope.js';
import { BackupStateFiles, type JobRecord } from './backup-state-files.js';
import { isProcessRunning, processStartTime } from './process-identity.js';
import { writeRcloneConfig } from './rclone-config.js';
import { ResticSetupError, resticArgs, resticRepository, type ResticRepository } from './restic-command.js';
import { failureReason, isMissingRepository, latestProgress, readTail, savedSnapshotId } from './restic-output.js';
import { RESTORE_STOPPED_UNITS } from './restore-units.js';
import { applyRestoredUserdata, isJsonObject } from './restored-userdata.js';
import { moveStagedTree, prepareRestoreStaging, refusedPathsMessage, removeRestoreStaging, restoreStagingFolder } from './safe-restore.js';
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
  now?: () => Date;
  /** How often a restic left running by an earlier API process is looked at. */
  resumedJobPollMs?: number;
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

/** A job's failure whose message is meant for the status's error_message. */
class JobFailure extends Error {
  override readonly name = 'JobFailure';
}

export class BackupController {
  private readonly files: BackupStateFiles;
  private readonly now: () => Date;
  private repository: RepositoryState = 'unknown';
  private repositoryError: string | null = null;
  /** True while the repository is first looked at, or re-initialised after new Backblaze settings. */
  private initializing = false;
  private job: JobRecord | null = null;
  private jobError: string | null = null;
  /** Both can fail; the status shows the more recent reason. */
  private jobErrorIsNewer = false;
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
  }

  /** Picks up where an earlier API process left off, then loads the snapshot list in the background. */
  start(): void {
    const saved = this.files.readState();
    this.setJobError(saved.jobError);
    if (saved.job !== null) this.resume(saved.job);
    try {
      if (this.hasKey()) void this.loadRepository();
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

  status(): BackupStatus {
    if (this.job !== null) {
      return { status: this.job.kind === 'backup' ? 'BACKING_UP' : 'RESTORING', progress: this.jobProgress(), error_message: null };
    }
    const idle = (status: BackupState, message: string | null = null): BackupStatus => ({ status, progress: 0, error_message: message });
    if (!this.hasKey()) return idle('NO_KEY');
    // Settings written into userdata.json by another program: look at the repository now.
    if (this.repository === 'unknown' && this.loading === null) void this.loadRepository();
    if (this.initializing || this.repository === 'unknown') return idle('INITIALIZING');
    if (this.repository === 'failed' && !(this.jobError !== null && this.jobErrorIsNewer)) return idle('ERROR', this.repositoryError);
    if (this.jobError !== null) return idle('ERROR', this.jobError);
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

  /** Starts a backup and returns at once with its end (null, or why it failed); throws the contract's 400 / 409. */
  startBackup(): Promise<string | null> {
    this.assertNoJob();
    const { status } = this.status();
    if (status === 'NO_KEY') throw badRequest('Backblaze settings are not set; send them to /services/restic/backblaze/config first');
    if (status === 'INITIALIZING') throw badRequest('The backup repository is being initialised; try again shortly');
    return this.runJob({ kind: 'backup', startedAt: this.now().toISOString() }, (record) => this.backUp(record));
  }

  /** Starts restoring the snapshot named by its short (or full) id and returns at once with its end; throws 400 / 404 / 409. */
  startRestore(backupId: string): Promise<string | null> {
    this.assertNoJob();
    const { status } = this.status();
    if (status === 'NO_KEY') throw badRequest('Backblaze settings are not set');
    if (status === 'NOT_INITIALIZED') throw badRequest('The backup repository is not initialised; there is nothing to restore');
    if (status === 'INITIALIZING') throw badRequest('The backup repository is being initialised; try again shortly');
    const snapshot = findSnapshot(this.snapshotCache, backupId);
    if (snapshot === undefined) throw notFound({ error: 'Backup not found' });
    const record: JobRecord = { kind: 'restore', startedAt: this.now().toISOString(), snapshotId: snapshot.id, shortId: snapshot.short_id };
    return this.runJob(record, (job) => this.restore(job, snapshot.id));
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
    this.setJobError(null);
    this.persistState();
    if (this.job !== null) {
      this.recheckAfterJob = true;
      return;
    }
    if (this.options.settings.resticRepository === undefined && previousBucket !== account.bucket) this.snapshotCache = [];
    this.repository = 'unknown';
    // A load already under way used the old settings: initialise again after it.
    void (this.loading ?? Promise.resolve()).then(() => this.loadRepository());
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

  private assertNoJob(): void {
    if (this.job === null) return;
    throw conflict({ error: this.job.kind === 'backup' ? 'A backup is already running' : 'A restore is running' });
  }

  private jobProgress(): number {
    if (this.job?.pid === undefined) return 0;
    return latestProgress(readTail(this.files.outputFile)) ?? 0;
  }

  private setJobError(message: string | null): void {
    this.jobError = message;
    this.jobErrorIsNewer = message !== null;
  }

  private setRepositoryFailure(message: string): void {
    this.repository = 'failed';
    this.repositoryError = message;
    this.jobErrorIsNewer = false;
  }

  private persistState(): void {
    this.files.writeState({ job: this.job, jobError: this.jobError }).catch(() => undefined);
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

  /**
   * INITIALIZING until restic has answered. A configured repository that does not exist yet is
   * created here (at start, and after new settings), so the app sees a usable repository at once
   * instead of NOT_INITIALIZED until a first backup (issue 14 item 3).
   */
  private loadRepository(): Promise<void> {
    if (this.loading !== null) return this.loading;
    this.initializing = true;
    this.loading = (async () => {
      try {
        await this.refreshSnapshots();
        if (this.repository === 'missing') await this.initRepository(this.repositoryFor());
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
    if (check.exitCode === 0) {
      this.repository = 'ready';
      this.repositoryError = null;
      return;
    }
    if (check.exitCode === 127 || !isMissingRepository(check.stderr)) throw this.resticFailure('Could not open the backup repository', check, repository);
    await this.initRepository(repository);
  }

  /** `restic init` of a repository known to be missing; a new repository holds no snapshots. */
  private async initRepository(repository: ResticRepository): Promise<void> {
    await this.writeRcloneConfigFor(repository);
    const created = await this.runRestic(resticArgs.init(repository), repository);
    if (created.exitCode !== 0) throw this.resticFailure('Could not initialise the backup repository', created, repository);
    this.options.log.info('backup repository initialised');
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

  /** Records the job (so a restart knows of it) and runs it in the background. */
  /** Runs the job in the background; the promise tells how it ended (null, or why it failed) and never rejects. */
  private runJob(record: JobRecord, work: (record: JobRecord) => Promise<void>): Promise<string | null> {
    this.job = record;
    this.persistState();
    this.options.log.info(`${record.kind} started`, { snapshot: record.shortId });
    return this.settle(record, () => work(record)).catch((error: unknown) => {
      this.options.log.error('backup job bookkeeping failed', { errorMessage: (error as Error)?.message });
      return 'The job\'s bookkeeping failed; see the API log';
    });
  }

  /** Runs restic for the job with its output going to files, recording its pid for a later process. */
  private async runTracked(record: JobRecord, args: string[], repository: ResticRepository): Promise<{ exitCode: number }> {
    this.files.ensureFolder();
    const started = await this.options.system.start(RESTIC, args, {
      cwd: this.options.store.paths.root,
      env: repository.env,
      stdoutFile: this.files.outputFile,
      stderrFile: this.files.errorFile,
      timeoutMs: JOB_TIMEOUT_MS,
    });
    if (started.pid !== undefined) {
      record.pid = started.pid;
      record.pidStartTime = processStartTime(started.pid);
      this.persistState();
    }
    return started.exited;
  }

  private async backUp(record: JobRecord): Promise<void> {
    const repository = this.repositoryFor();
    // Every restic run opens the repository (a deliberate slow key derivation): skip the check when restic just listed it.
    if (this.repository === 'ready') await this.writeRcloneConfigFor(repository);
    else await this.ensureRepository(repository);
    const scope = backupScope(this.options.store.paths);
    const { exitCode } = await this.runTracked(record, resticArgs.backup(repository, scope.sources, scope.backupExcludes), repository);
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

  private async restore(record: JobRecord, snapshotId: string): Promise<void> {
    const repository = this.repositoryFor();
    await this.writeRcloneConfigFor(repository);
    const { paths } = this.options.store;
    // restic writes into a root-only folder, never straight into the root where a user may have planted links.
    const staging = restoreStagingFolder(paths.apiStateFolder);
    try {
      prepareRestoreStaging(paths.root, staging);
    } catch (error) {
      throw new JobFailure(`Nothing was restored: the staging folder could not be prepared (${(error as Error).message})`);
    }
    // Recorded before stopping anything: whoever finishes this job starts them again.
    record.stoppedUnits = await this.activeUnits();
    this.persistState();
    if (record.stoppedUnits.length > 0) {
      const stopped = await this.options.system.run(SYSTEMCTL, ['stop', '--', ...record.stoppedUnits], { timeoutMs: SYSTEMCTL_TIMEOUT_MS });
      if (stopped.exitCode !== 0) {
        const reason = failureReason(stopped.stderr) ?? `systemctl exited with code ${stopped.exitCode}`;
        throw new JobFailure(`Nothing was restored: the services could not be stopped first (${reason})`);
      }
    }
    const scope = backupScope(paths);
    let refused: string | null;
    try {
      const { exitCode } = await this.runTracked(record, resticArgs.restore(repository, snapshotId, staging, scope.restoreExcludes), repository);
      if (exitCode !== 0) {
        throw this.resticFailure('The restore failed', { exitCode, stderr: readTail(this.files.errorFile) }, repository);
      }
      refused = refusedPathsMessage(moveStagedTree(staging, paths.root, scope.keepOut));
    } finally {
      removeRestoreStaging(staging);
    }
    await this.restoreUserdata(repository, snapshotId, scope.userdataInSnapshot);
    if (refused !== null) throw new JobFailure(refused);
  }

  /** The units of RESTORE_STOPPED_UNITS running now: only those are stopped, and started again. */
  private async activeUnits(): Promise<string[]> {
    const checks = await Promise.all(
      RESTORE_STOPPED_UNITS.map(async (unit) => {
        const result = await this.options.system.run(SYSTEMCTL, ['is-active', '--quiet', '--', unit], { timeoutMs: SYSTEMCTL_TIMEOUT_MS });
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

  /** Ends a job however it went: units started again, state recorded, snapshot list refreshed. */
  private async settle(record: JobRecord, work: () => Promise<void>): Promise<string | null> {
    let failure: string | null = null;
    try {
      await work();
    } catch (error) {
      failure = this.describe(error);
    }
    const units = record.stoppedUnits ?? [];
    if (units.length > 0) {
      const started = await this.options.system.run(SYSTEMCTL, ['start', '--', ...units], { timeoutMs: SYSTEMCTL_TIMEOUT_MS });
      if (started.exitCode !== 0) {
        const message = `Could not start ${units.join(', ')} again (${failureReason(started.stderr) ?? `systemctl exited with code ${started.exitCode}`})`;
        failure = failure === null ? message : `${failure}. ${message}`;
      }
    }
    // Listed before the job ends, so a client that sees the state change finds the new snapshot.
    if (record.kind === 'backup' && !this.recheckAfterJob) await this.refreshSnapshots();
    // On disk before the status changes: a restart right after must not find the job still open.
    await this.files.writeState({ job: null, jobError: failure }).catch(() => undefined);
    this.job = null;
    this.setJobError(failure);
    if (failure === null) this.options.log.info(`${record.kind} finished`, { snapshot: record.shortId });
    else this.options.log.warn(`${record.kind} failed`, { reason: failure });
    if (this.recheckAfterJob) {
      this.recheckAfterJob = false;
      this.repository = 'unknown';
      await this.loadRepository();
    }
    return failure;
  }

  /** A job recorded by an earlier API process: wait for its restic if it still runs, then settle it. */
  private resume(record: JobRecord): void {
    this.job = record;
    const finish = (): void => {
      this.settle(record, () => this.judgeResumed(record)).catch((error: unknown) => {
        this.options.log.error('backup job bookkeeping failed', { errorMessage: (error as Error)?.message });
      });
    };
    if (record.pid === undefined || !isProcessRunning(record.pid, record.pidStartTime)) {
      finish();
      return;
    }
    this.options.log.info(`${record.kind} still running from before the restart`, { pid: record.pid });
    const { pid, pidStartTime } = record;
    const timer = this.every(this.options.resumedJobPollMs ?? 2000, () => {
      if (isProcessRunning(pid, pidStartTime)) return;
      clearInterval(timer);
      this.timers.delete(timer);
      finish();
    });
  }

  /** How a job whose restic this process did not start ended, from what restic left in its files. */
  private async judgeResumed(record: JobRecord): Promise<void> {
    const reason = failureReason(readTail(this.files.errorFile));
    const because = reason === undefined ? '' : ` (${reason})`;
    if (record.pid === undefined) {
      throw new JobFailure(`The ${record.kind} started at ${record.startedAt} was interrupted by a restart of the API before restic ran; start it again`);
    }
    if (record.kind === 'backup') {
      const saved = savedSnapshotId(readTail(this.files.outputFile));
      if (saved === undefined) throw new JobFailure(`The backup started at ${record.startedAt} ended before restic saved a snapshot${because}; start it again`);
      this.options.log.info('backup finished while the API restarted', { snapshot: saved });
      return;
    }
    // restic's exit code is lost with the process that started it, so a restore cannot be confirmed;
    // what it staged is not moved in (it may be partial) and the next restore starts afresh.
    removeRestoreStaging(restoreStagingFolder(this.options.store.paths.apiStateFolder));
    throw new JobFailure(`The restore of ${record.shortId ?? record.snapshotId} outlived a restart of the API; restic has ended, but whether it restored everything cannot be confirmed${because}. Run the restore again`);
  }
}
