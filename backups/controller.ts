// The backup controller: the backup state machine of docs/contract.md, and what callers ask of backups,
// checked here and handed on: whole-server and per-service backups, restores and forgets become jobs of
// the job registry (their work in server-jobs.ts and service-jobs.ts, ended by job-settling.ts), the
// repository and snapshot list are repository-state.ts's, automatic backups autobackups.ts's.
import type { JobView } from '../domain/jobs/job.js';
import type { Settings } from '../core/settings.js';
import { badRequest, conflict, internalError, notFound } from '../core/errors.js';
import type { JobRegistry } from '../jobs/job-registry.js';
import type { Logger } from '../core/logger.js';
import type { CommandRunner } from '../core/commands.js';
import type { Store } from '../store/store.js';
import { findService } from '../domain/service-catalog.js';
import { Autobackups } from './autobackups.js';
import type { BackblazeAccount } from './backblaze-account.js';
import { BackupPreferencesFile, type AutobackupQuotas, type BackupPreferences } from './backup-preferences.js';
import { BackupStateFiles } from './backup-state-files.js';
import { describeFailure } from './job-failure.js';
import { JobLane } from './job-lane.js';
import { JobSettler } from './job-settling.js';
import type { JobWork } from './job-steps.js';
import { removeBackblazeRemote, writeRcloneConfig } from './rclone-config.js';
import { RepositoryState } from './repository-state.js';
import { isJsonObject } from './restored-userdata.js';
import { backUpServer, restoreServer } from './server-jobs.js';
import { backUpService, restoreService, type RestoreStrategy } from './service-jobs.js';
import { serviceSources } from './service-scope.js';
import { snapshotService, type BackupReason } from './snapshot-tags.js';
import { findSnapshot, type Snapshot } from './snapshots.js';
import { TrackedRestic, type JobKind } from './tracked-restic.js';

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

/** How a service's restore treats the restored files; defined with the service jobs that use it. */
export type { RestoreStrategy } from './service-jobs.js';

const HOUR_MS = 3_600_000;
const DEFAULT_AUTOBACKUP_CHECK_SECONDS = 60;

const JOB_KINDS: readonly JobKind[] = ['backup', 'restore'];

export class BackupController {
  private readonly files: BackupStateFiles;
  private readonly restic: TrackedRestic;
  private readonly now: () => Date;
  private readonly repositoryState: RepositoryState;
  /** What the backup and restore jobs' work uses. */
  private readonly work: JobWork;
  private readonly autobackups: Autobackups;
  /** Runs each backup and restore job's work in the lane, and ends it. */
  private readonly settler: JobSettler;
  /** New Backblaze settings make failures of jobs that ended before them old news. */
  private jobErrorsClearedAt = '';
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly preferences: BackupPreferencesFile;
  /** Backups, restores and prunes, one at a time (each holds restic's lock). */
  private readonly lane = new JobLane();

  constructor(private readonly options: BackupControllerOptions) {
    this.files = new BackupStateFiles(options.store.paths.backupWorkFolder, options.log);
    const { system, log, store } = options;
    this.restic = new TrackedRestic({ system, log, files: this.files, cwd: store.paths.root, pollMs: options.resticPollMs ?? 1000 });
    this.now = options.now ?? (() => new Date());
    this.preferences = new BackupPreferencesFile(store.paths, log);
    this.repositoryState = new RepositoryState({ store, system, log, settings: options.settings, preferences: this.preferences, files: this.files, now: this.now });
    this.work = { store, system, log, restic: this.restic, files: this.files, repositoryState: this.repositoryState, preferences: this.preferences };
    this.settler = new JobSettler({ paths: store.paths, system, log, restic: this.restic, repositoryState: this.repositoryState, lane: this.lane });
    this.autobackups = new Autobackups({
      store,
      log,
      now: this.now,
      preferences: this.preferences,
      repositoryState: this.repositoryState,
      lane: this.lane,
      jobRunning: () => this.latestJob()?.state === 'running',
      startBackup: (serviceId) => this.startServiceBackup(serviceId, 'AUTO'),
    });
    for (const kind of JOB_KINDS) options.jobs.resumeWorkWith(kind, (handle) => this.settler.resume(kind, handle));
  }

  /** Picks up where an earlier API process left off (the registry resumes its jobs), then loads the snapshot list in the background. */
  start(): void {
    this.options.jobs.resume();
    try {
      if (this.repositoryState.hasKey()) void this.repositoryState.load();
    } catch {
      // userdata.json unreadable right now: status answers for it, and loads once it can be read.
    }
    this.every(this.options.refreshEveryMs ?? 24 * HOUR_MS, () => void this.repositoryState.refreshSnapshots());
    const checkSeconds = this.options.settings.autobackupCheckSeconds ?? DEFAULT_AUTOBACKUP_CHECK_SECONDS;
    this.every(checkSeconds * 1000, () => {
      // userdata.json unreadable for a moment: the next check tries again.
      this.autobackups.startDue().catch((error: unknown) => this.options.log.warn('automatic backups not checked', { reason: describeFailure(error, this.options.log) }));
    });
  }

  /** Stops the timers and waits for state writes; a running restic keeps going and the next process resumes it. */
  async close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers.clear();
    this.restic.close();
    await Promise.all([this.files.close(), this.preferences.drain()]);
  }

  /** Derived from the newest backup or restore job of the registry, then from the repository's state. */
  status(): BackupStatus {
    const job = this.latestJob();
    if (job?.state === 'running') {
      return { status: job.type === 'backup' ? 'BACKING_UP' : 'RESTORING', progress: job.progress ?? 0, error_message: null };
    }
    const idle = (status: BackupState, message: string | null = null): BackupStatus => ({ status, progress: 0, error_message: message });
    const repository = this.repositoryState;
    if (!repository.hasKey()) return idle('NO_KEY');
    // Settings written into userdata.json by another program: look at the repository now (load() joins one under way).
    if (repository.condition === 'unknown') void repository.load();
    if (repository.initializing || repository.condition === 'unknown') return idle('INITIALIZING');
    // Why the last job failed, until one succeeds or new Backblaze settings arrive.
    const jobFailed = job?.state === 'failed' && (job.endedAt ?? '') > this.jobErrorsClearedAt;
    const jobError = jobFailed ? job.error ?? 'The job failed' : null;
    if (repository.condition === 'failed' && !(jobError !== null && (job?.endedAt ?? '') >= repository.failedAt)) return idle('ERROR', repository.error);
    if (jobError !== null) return idle('ERROR', jobError);
    if (repository.condition === 'missing') return idle('NOT_INITIALIZED');
    return idle('INITIALIZED');
  }

  /** The cached snapshot list: answered at once, never waiting for the repository. */
  snapshots(): Snapshot[] {
    return this.repositoryState.snapshots;
  }

  /** Refreshes the snapshot list in the background. */
  requestReload(): void {
    void this.repositoryState.refreshSnapshots();
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
    return this.options.jobs.startWork('backup', (handle) => this.settler.run('backup', handle, () => backUpServer(this.work, handle)));
  }

  /** Starts restoring the snapshot named by its short (or full) id as a job and gives the job; throws 400 / 404 / 409 at once. */
  startRestore(backupId: string): Promise<JobView> {
    this.assertNoJob();
    const { status } = this.status();
    if (status === 'NO_KEY') throw badRequest('Backblaze settings are not set');
    if (status === 'NOT_INITIALIZED') throw badRequest('The backup repository is not initialised; there is nothing to restore');
    if (status === 'INITIALIZING') throw badRequest('The backup repository is being initialised; try again shortly');
    const snapshot = findSnapshot(this.repositoryState.snapshots, backupId);
    if (snapshot === undefined) throw notFound({ error: 'Backup not found' });
    this.options.log.info('restore started', { snapshot: snapshot.short_id });
    return this.options.jobs.startWork('restore', async (handle) => {
      await handle.remember({ snapshotId: snapshot.id, shortId: snapshot.short_id });
      await this.settler.run('restore', handle, () => restoreServer(this.work, handle, snapshot.id));
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
    if (this.preferences.read().detached) await this.preferences.change({ detached: false });
    this.options.log.info('backblaze settings saved', { bucket: account.bucket });
    this.jobErrorsClearedAt = this.now().toISOString();
    if (this.latestJob()?.state === 'running') {
      this.settler.recheckAfterJob();
      return;
    }
    // A load already under way used the old settings: initialise again after it.
    this.repositoryState.lookAgain(this.options.settings.resticRepository === undefined && previousBucket !== account.bucket);
  }

  /**
   * Queues a backup of one service's data folders as a job of its own, tagged with the service
   * and the reason; it runs once the backups, restores and prunes queued before it have ended.
   * Throws 404 for an unknown service, 400 when there is no repository or nothing to back up.
   */
  startServiceBackup(serviceId: string, reason: Exclude<BackupReason, 'PRE_RESTORE'> = 'EXPLICIT'): Promise<JobView> {
    const service = findService(serviceId);
    if (service === undefined) throw notFound({ error: `Nonexistent service: ${serviceId}` });
    this.assertRepositoryUsable();
    if (serviceSources(this.options.store.paths, service).length === 0) {
      throw badRequest(`${service.displayName} has no data on this server yet: none of its folders exists`);
    }
    this.options.log.info('service backup queued', { service: service.id, reason });
    return this.options.jobs.startWork(
      'backup',
      (handle) => this.settler.run('backup', handle, () => backUpService(this.work, handle, service, reason)),
      service.id,
    );
  }

  /**
   * Restores a snapshot. One of a service (tagged with it) is restored as that service's own job,
   * queued like a backup: its units stopped, a PRE_RESTORE snapshot of its data taken, the files
   * restored through the staging folder, its units started again. A snapshot of the whole server
   * is restored as REST's restore does it. Throws 400 / 404 at once (409 for a whole-server one).
   */
  startSnapshotRestore(snapshotId: string, strategy: RestoreStrategy): Promise<JobView> {
    const snapshot = findSnapshot(this.repositoryState.snapshots, snapshotId);
    if (snapshot === undefined) {
      this.assertRepositoryUsable();
      throw notFound({ error: 'Snapshot not found' });
    }
    const service = snapshotService(snapshot);
    if (service === undefined) return this.startRestore(snapshot.id);
    this.assertRepositoryUsable();
    this.options.log.info('service restore queued', { service: service.id, snapshot: snapshot.short_id, strategy });
    return this.options.jobs.startWork(
      'restore',
      async (handle) => {
        await handle.remember({ snapshotId: snapshot.id, shortId: snapshot.short_id });
        await this.settler.run('restore', handle, () => restoreService(this.work, handle, service, snapshot.id, strategy));
      },
      service.id,
    );
  }

  /**
   * Forgets a snapshot (`restic forget --prune`) as a job, queued like a backup. The snapshot
   * leaves the list at once; it comes back only if restic fails to forget it. 404 for an unknown id.
   */
  async forgetSnapshot(snapshotId: string): Promise<JobView> {
    const snapshot = findSnapshot(this.repositoryState.snapshots, snapshotId);
    if (snapshot === undefined) throw notFound({ error: 'Snapshot not found' });
    this.assertRepositoryUsable();
    await this.repositoryState.hide(snapshot.id);
    this.options.log.info('snapshot forget queued', { snapshot: snapshot.short_id });
    return this.options.jobs.startWork('forget', (handle) => this.lane.run(() => this.repositoryState.forget(handle, snapshot.id)));
  }

  /**
   * Detaches the repository: the Backblaze settings and the rclone remote are removed (the data at
   * the provider stays), and the API acts as if none were configured until one is set up again.
   * 409 while a backup, restore or prune runs or waits.
   */
  async removeRepository(): Promise<void> {
    if (this.lane.busy() || this.latestJob()?.state === 'running') {
      throw conflict({ error: 'A backup, restore or snapshot removal is running; remove the repository once it has ended' });
    }
    await this.options.store.userdata.update((data) => {
      delete data.backblaze;
    });
    await removeBackblazeRemote(this.options.store.paths.rcloneConfig);
    await this.preferences.change({ detached: true });
    await this.repositoryState.reset();
    this.options.log.info('backup repository detached');
  }

  /** Re-initialises a repository named by SELFPRIVACY_RESTIC_REPOSITORY after it was detached (the app's initializeRepository). */
  async attachConfiguredRepository(): Promise<void> {
    if (this.options.settings.resticRepository === undefined) throw badRequest('No repository is configured on this server');
    if (this.preferences.read().detached) await this.preferences.change({ detached: false });
    this.repositoryState.lookAgain();
  }

  /** The owner's automatic backup period (minutes; null: none) and rotation quotas. */
  autobackupPreferences(): Pick<BackupPreferences, 'autobackupPeriod' | 'quotas'> {
    return this.autobackups.preferences();
  }

  /** Sets the period in minutes; null or 0 turns automatic backups off. 400 for a negative or too long one. */
  setAutobackupPeriod(period: number | null): Promise<void> {
    return this.autobackups.setPeriod(period);
  }

  /** Stores the quotas, then rotates every service's automatic snapshots by them (in the background, queued). */
  setAutobackupQuotas(quotas: AutobackupQuotas): Promise<void> {
    return this.autobackups.setQuotas(quotas);
  }

  // ---- checks ---------------------------------------------------------------------------------

  /** The newest backup or restore job: one runs at a time, so a running one is always the newest. */
  private latestJob(): JobView | undefined {
    return this.options.jobs.latest(JOB_KINDS);
  }

  /** 400 when no repository is configured or it is being looked at; a service's job waits behind running ones instead of 409. */
  private assertRepositoryUsable(): void {
    const { status } = this.status();
    if (status === 'NO_KEY') throw badRequest('No backup repository is set up; initialise one first');
    if (status === 'INITIALIZING') throw badRequest('The backup repository is being initialised; try again shortly');
  }

  private assertNoJob(): void {
    const job = this.latestJob();
    if (job?.state !== 'running') return;
    throw conflict({ error: job.type === 'backup' ? 'A backup is already running' : 'A restore is running' });
  }

  private every(intervalMs: number, work: () => void): NodeJS.Timeout {
    const timer = setInterval(work, intervalMs);
    timer.unref();
    this.timers.add(timer);
    return timer;
  }
}
