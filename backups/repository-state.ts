// What the API knows of the backup repository: whether it is there (as restic last told us), its
// snapshot list (cached, so the list never waits for the repository), and the restic talks that find out.
import type { WorkHandle } from '../jobs/job-registry.js';
import type { CommandRunner, RunResult } from '../core/commands.js';
import type { Logger } from '../core/logger.js';
import type { Settings } from '../core/settings.js';
import type { Store } from '../store/store.js';
import { storedBackblazeAccount } from './backblaze-account.js';
import type { BackupPreferencesFile } from './backup-preferences.js';
import type { BackupStateFiles } from './backup-state-files.js';
import { describeFailure, JobFailure, resticFailure } from './job-failure.js';
import { writeRcloneConfig } from './rclone-config.js';
import { resticArgs, resticRepository, type ResticRepository } from './restic-command.js';
import { isMissingRepository } from './restic-output.js';
import { parseSnapshots, type Snapshot } from './snapshots.js';

const RESTIC = 'restic';
const HOUR_MS = 3_600_000;
/** snapshots, init, cat config, dump: short talks with the repository, possibly over the network. */
const REPOSITORY_TIMEOUT_MS = 10 * 60_000;
/** forget --prune rewrites packs at the provider: as long as a slow first backup may take. */
const PRUNE_TIMEOUT_MS = 24 * HOUR_MS;

/** Where the repository stands, as restic last told us. */
type RepositoryCondition = 'unknown' | 'ready' | 'missing' | 'failed';

export interface RepositoryStateOptions {
  store: Store;
  system: CommandRunner;
  log: Logger;
  settings: Settings;
  /** Whether the owner detached the repository. */
  preferences: BackupPreferencesFile;
  /** Where the snapshot list is kept between API processes. */
  files: BackupStateFiles;
  now: () => Date;
}

export class RepositoryState {
  private currentCondition: RepositoryCondition = 'unknown';
  private lastError: string | null = null;
  /** When the repository last failed (ISO time): a job's failure and the repository's, the status shows the more recent. */
  private lastFailedAt = '';
  /** True while the repository is first looked at, or re-initialised after new Backblaze settings. */
  private lookingAt = false;
  private snapshotCache: Snapshot[];
  private loading: Promise<void> | null = null;
  private refreshing: Promise<void> | null = null;
  /** A refresh asked for while one runs: it runs after, so it sees the settings of its time. */
  private refreshQueued: Promise<void> | null = null;
  /** Snapshots being forgotten: left out of the list from the moment the owner asked, whatever restic still lists. */
  private readonly forgotten = new Set<string>();

  constructor(private readonly options: RepositoryStateOptions) {
    this.snapshotCache = options.files.readSnapshots();
  }

  get condition(): RepositoryCondition {
    return this.currentCondition;
  }

  /** Why the repository failed, while it is `failed`. */
  get error(): string | null {
    return this.lastError;
  }

  get failedAt(): string {
    return this.lastFailedAt;
  }

  get initializing(): boolean {
    return this.lookingAt;
  }

  /** The cached snapshot list. */
  get snapshots(): Snapshot[] {
    return this.snapshotCache;
  }

  /** Whether a repository is configured: Backblaze settings or SELFPRIVACY_RESTIC_REPOSITORY, and not detached. */
  hasKey(): boolean {
    if (this.options.preferences.read().detached) return false;
    return this.options.settings.resticRepository !== undefined || storedBackblazeAccount(this.options.store.userdata.read()) !== undefined;
  }

  /** The repository and how restic reaches it, from the settings of now. */
  connection(): ResticRepository {
    return resticRepository({
      override: this.options.settings.resticRepository,
      password: this.options.settings.resticPassword,
      account: storedBackblazeAccount(this.options.store.userdata.read()),
      rcloneConfig: this.options.store.paths.rcloneConfig,
    });
  }

  /**
   * INITIALIZING until restic has answered. A configured repository that does not exist yet is
   * created here (at start, and after new settings), so the app sees a usable repository at once
   * instead of NOT_INITIALIZED until a first backup.
   */
  load(): Promise<void> {
    if (this.loading !== null) return this.loading;
    this.lookingAt = true;
    this.loading = (async () => {
      try {
        await this.refreshSnapshots();
        if (this.currentCondition === 'missing') await this.initRepository(this.connection());
      } catch (error) {
        this.setFailure(describeFailure(error, this.options.log));
      } finally {
        this.lookingAt = false;
        this.loading = null;
      }
    })();
    return this.loading;
  }

  /**
   * Looks at the repository again (INITIALIZING from now), once a load already under way, which
   * used the settings of before, has ended. `otherRepository`: the cached snapshots are not its own.
   */
  lookAgain(otherRepository = false): void {
    if (otherRepository) this.snapshotCache = [];
    this.currentCondition = 'unknown';
    void (this.loading ?? Promise.resolve()).then(() => this.load());
  }

  /** No repository any more (detached): nothing known of one, no snapshots. */
  async reset(): Promise<void> {
    this.currentCondition = 'unknown';
    this.lastError = null;
    this.snapshotCache = [];
    await this.options.files.writeSnapshots([]);
  }

  /** Removed since it was listed (a backup found it gone): the next backup creates it again. */
  markMissing(): void {
    this.currentCondition = 'missing';
  }

  /** connection(), with the rclone configuration its restic calls read written first. */
  async connected(): Promise<ResticRepository> {
    const repository = this.connection();
    await this.writeRcloneConfigFor(repository);
    return repository;
  }

  private async writeRcloneConfigFor(repository: ResticRepository): Promise<void> {
    if (repository.account === undefined) return;
    try {
      await writeRcloneConfig(this.options.store.paths.rcloneConfig, repository.account);
    } catch (error) {
      throw new JobFailure(`Could not write the rclone configuration (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`);
    }
  }

  /** A short talk with the repository (snapshots, init, cat config, dump). */
  runRestic(args: string[], repository: ResticRepository): Promise<RunResult> {
    return this.options.system.run(RESTIC, args, { env: repository.env, timeoutMs: REPOSITORY_TIMEOUT_MS, cwd: this.options.store.paths.root });
  }

  /** A forget with --prune, which may rewrite much of the repository. */
  runPrune(args: string[], repository: ResticRepository): Promise<RunResult> {
    return this.options.system.run(RESTIC, args, { env: repository.env, timeoutMs: PRUNE_TIMEOUT_MS, cwd: this.options.store.paths.root });
  }

  /** The repository, ready for a backup: created when it does not exist yet. */
  async openForBackup(): Promise<ResticRepository> {
    const repository = this.connection();
    // Every restic run opens the repository (a deliberate slow key derivation): skip the check when restic just listed it.
    if (this.currentCondition === 'ready') await this.writeRcloneConfigFor(repository);
    else await this.ensureRepository(repository);
    return repository;
  }

  /** Reloads the snapshot list (one at a time); the cache stays as it was when restic cannot answer. */
  refreshSnapshots(): Promise<void> {
    if (this.refreshing !== null) {
      this.refreshQueued ??= this.refreshing.then(() => {
        this.refreshQueued = null;
        return this.refreshSnapshots();
      });
      return this.refreshQueued;
    }
    this.refreshing = this.loadSnapshots()
      .catch((error: unknown) => this.setFailure(describeFailure(error, this.options.log)))
      .finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  /** Takes the snapshot out of the list at once, before restic has forgotten it. */
  async hide(snapshotId: string): Promise<void> {
    this.forgotten.add(snapshotId);
    this.snapshotCache = this.snapshotCache.filter((each) => each.id !== snapshotId);
    await this.options.files.writeSnapshots(this.snapshotCache);
  }

  /** A forget job's work: `restic forget --prune` of a hidden snapshot, then the list refreshed. */
  async forget(handle: WorkHandle, snapshotId: string): Promise<void> {
    try {
      const repository = await this.connected();
      handle.report(0);
      const result = await this.runPrune(resticArgs.forget(repository, snapshotId), repository);
      if (result.exitCode !== 0) throw resticFailure('The snapshot could not be forgotten', result, repository);
      handle.report(1);
    } catch (error) {
      // Still in the repository: it shows again, and the job says why.
      this.forgotten.delete(snapshotId);
      throw new JobFailure(describeFailure(error, this.options.log));
    } finally {
      await this.refreshSnapshots();
    }
  }

  private setFailure(message: string): void {
    this.currentCondition = 'failed';
    this.lastError = message;
    this.lastFailedAt = this.options.now().toISOString();
  }

  /** Opens the repository, creating it when it does not exist yet (`restic cat config` fails → `restic init`). */
  private async ensureRepository(repository: ResticRepository): Promise<void> {
    await this.writeRcloneConfigFor(repository);
    const check = await this.runRestic(resticArgs.catConfig(repository), repository);
    if (check.exitCode === 0) {
      this.currentCondition = 'ready';
      this.lastError = null;
      return;
    }
    if (check.exitCode === 127 || !isMissingRepository(check.stderr)) throw resticFailure('Could not open the backup repository', check, repository);
    await this.initRepository(repository);
  }

  /** `restic init` of a repository known to be missing; a new repository holds no snapshots. */
  private async initRepository(repository: ResticRepository): Promise<void> {
    await this.writeRcloneConfigFor(repository);
    const created = await this.runRestic(resticArgs.init(repository), repository);
    if (created.exitCode !== 0) throw resticFailure('Could not initialise the backup repository', created, repository);
    this.options.log.info('backup repository initialised');
    this.currentCondition = 'ready';
    this.lastError = null;
  }

  private async loadSnapshots(): Promise<void> {
    if (!this.hasKey()) return;
    const repository = await this.connected();
    const listed = await this.runRestic(resticArgs.snapshots(repository), repository);
    if (listed.exitCode !== 0) {
      if (listed.exitCode !== 127 && isMissingRepository(listed.stderr)) {
        this.currentCondition = 'missing';
        this.lastError = null;
        this.snapshotCache = [];
        await this.options.files.writeSnapshots([]);
        return;
      }
      throw resticFailure('Could not list the backups', listed, repository);
    }
    let snapshots: Snapshot[];
    try {
      snapshots = parseSnapshots(listed.stdout);
    } catch {
      throw new JobFailure('Could not list the backups: restic printed something that is not a snapshot list');
    }
    this.snapshotCache = snapshots.filter((snapshot) => !this.forgotten.has(snapshot.id));
    this.currentCondition = 'ready';
    this.lastError = null;
    await this.options.files.writeSnapshots(this.snapshotCache);
  }
}
