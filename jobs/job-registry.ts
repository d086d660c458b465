// The job registry: starts long work in the background, follows it, keeps its records and tells listeners.
import { randomUUID } from 'node:crypto';
import { JOB_LOG_LINES, retainedJobs, toJobView, type JobLogLine, type JobView, type ResumeData, type StoredJob } from '../domain/jobs/job.js';
import { judgeUnitState, parseUnitState, UNIT_STATE_PROPERTIES } from '../domain/jobs/unit-state.js';
import { readJournal } from '../domain/journal.js';
import { JobStore } from './job-store.js';
import type { ServerPaths } from '../store/server-paths.js';
import type { Logger } from '../core/logger.js';
import type { CommandRunner, RunResult } from '../core/commands.js';

export interface JobRegistryOptions {
  system: CommandRunner;
  log: Logger;
  now?: () => Date;
  /** How often a unit's state is asked while it runs. */
  pollIntervalMs?: number;
  /** After this long a unit still running is given up on (the job fails, the unit is left alone). */
  maxFollowMs?: number;
  /** `systemctl start` of a oneshot unit returns when the work is done: a rebuild can take long. */
  unitStartTimeoutMs?: number;
  /** A running job's journal lines are read again at most this often. */
  logRefreshMs?: number;
}

/** Reports progress of generic work, 0 to 1. */
export type ProgressReporter = (fraction: number) => void;

/** What in-process work gets: its job, a way to report progress, and a place for what a later process needs to finish it. */
export interface WorkHandle {
  readonly job: JobView;
  /** The service whose data the work is for, as startWork was told (kept with the job on disk). */
  readonly service: string | undefined;
  /** What `remember` stored, also when an earlier API process stored it. */
  readonly resumeData: ResumeData;
  report: ProgressReporter;
  /** Stores `data` with the job (merged into what is there), on disk when the promise settles. */
  remember(data: ResumeData): Promise<void>;
}

/** In-process work; the job succeeds when the promise resolves and fails with the rejection's message. */
export type Work = (handle: WorkHandle) => Promise<void>;

export interface UnitRun {
  /** The exit code of `systemctl start` (what the 1.2 endpoints answer). */
  exitCode: number;
  jobId: string;
  /** `/jobs/<id>`, for a Location header. */
  location: string;
}

interface Listener {
  onChange: (job: JobView) => void;
  onEnd: () => void;
}

const DEFAULTS = {
  pollIntervalMs: 2_000,
  maxFollowMs: 12 * 3600_000,
  unitStartTimeoutMs: 6 * 3600_000,
  logRefreshMs: 2_000,
};

const SYSTEMCTL_SHOW_TIMEOUT_MS = 20_000;
const MAX_ERROR_LENGTH = 500;

export class JobRegistry {
  /** Tells this process's jobs from those of an earlier run of the API (which died or was restarted). */
  readonly runId = randomUUID();
  private jobs: Map<string, StoredJob> | null = null;
  private readonly listeners = new Map<string, Set<Listener>>();
  /** Listeners of every job (GraphQL's jobUpdates): told of each new job and each change. */
  private readonly watchers = new Set<Listener>();
  private readonly sleepers = new Set<() => void>();
  private readonly logCache = new Map<string, { at: number; lines: JobLogLine[] }>();
  private readonly finishing = new Set<string>();
  /** Per job type: how a later API process finishes in-process work an earlier one left running. */
  private readonly resumers = new Map<string, Work>();
  private readonly settings: typeof DEFAULTS;
  private closed = false;

  constructor(
    private readonly store: JobStore,
    private readonly options: JobRegistryOptions,
  ) {
    this.settings = {
      pollIntervalMs: options.pollIntervalMs ?? DEFAULTS.pollIntervalMs,
      maxFollowMs: options.maxFollowMs ?? DEFAULTS.maxFollowMs,
      unitStartTimeoutMs: options.unitStartTimeoutMs ?? DEFAULTS.unitStartTimeoutMs,
      logRefreshMs: options.logRefreshMs ?? DEFAULTS.logRefreshMs,
    };
  }

  /**
   * Says how in-process work of `type` left running by an earlier API process is finished (a
   * backup whose restic outlived the API). Before the registry loads: jobs.json is read once.
   */
  resumeWorkWith(type: string, resume: Work): void {
    if (this.jobs !== null) throw new Error(`the job registry was loaded before work of type ${type} could be resumed`);
    this.resumers.set(type, resume);
  }

  /**
   * Loads jobs.json once. Jobs an earlier API process left running are settled truthfully: a
   * unit's run is followed again through systemd (it outlives the API: a rebuild restarts the
   * API itself), in-process work is finished by its type's resumer, or else is marked failed.
   */
  resume(): void {
    try {
      this.loaded();
    } catch (error) {
      // The jobs endpoints will report the fault; the rest of the API serves on.
      this.options.log.error('jobs file could not be loaded', { errorMessage: (error as Error).message });
    }
  }

  /** Every kept job, newest first; a running one with its latest journal lines. */
  async list(): Promise<JobView[]> {
    return Promise.all(retainedJobs([...this.loaded().values()]).map((job) => this.withLiveLog(job)));
  }

  async get(id: string): Promise<JobView | undefined> {
    const job = this.loaded().get(id);
    return job === undefined ? undefined : this.withLiveLog(job);
  }

  has(id: string): boolean {
    return this.loaded().has(id);
  }

  /** The newest job of one of `types` (started newest), without its live log: for state derived from jobs. */
  latest(types: readonly string[]): JobView | undefined {
    let newest: StoredJob | undefined;
    for (const job of this.loaded().values()) {
      if (types.includes(job.type) && (newest === undefined || job.startedAt >= newest.startedAt)) newest = job;
    }
    return newest === undefined ? undefined : toJobView(newest);
  }

  /**
   * Calls `onChange` with the job now and after each change; `onEnd` once the job has ended (after
   * its last change), the registry closes, or at once for an unknown id. Returns the unsubscribe function.
   */
  subscribe(id: string, onChange: (job: JobView) => void, onEnd: () => void): () => void {
    const job = this.loaded().get(id);
    if (job === undefined) {
      onEnd();
      return () => undefined;
    }
    const listener: Listener = { onChange, onEnd };
    const unsubscribe = (): void => {
      const set = this.listeners.get(id);
      set?.delete(listener);
      if (set?.size === 0) this.listeners.delete(id);
    };
    onChange(toJobView(job));
    if (job.state !== 'running' || this.closed) {
      onEnd();
      return () => undefined;
    }
    const set = this.listeners.get(id) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(id, set);
    return unsubscribe;
  }

  /**
   * Forgets a finished job (GraphQL's removeJob): 'removed', 'not found', or 'running' for a job
   * still followed, which stays (its followers and its unit's verdict still need the record).
   */
  async remove(id: string): Promise<'removed' | 'not found' | 'running'> {
    const jobs = this.loaded();
    const job = jobs.get(id);
    if (job === undefined) return 'not found';
    if (job.state === 'running') return 'running';
    jobs.delete(id);
    await this.persist();
    return 'removed';
  }

  /**
   * Calls `onChange` with a job each time one is created or changes (state, progress, end);
   * `onEnd` when the registry closes (at once when it is closed already). Returns the unsubscribe function.
   */
  watchAll(onChange: (job: JobView) => void, onEnd: () => void): () => void {
    if (this.closed) {
      onEnd();
      return () => undefined;
    }
    const listener: Listener = { onChange, onEnd };
    this.watchers.add(listener);
    return () => {
      this.watchers.delete(listener);
    };
  }

  /** Listeners still attached (tests check that streams let go). */
  listenerCount(): number {
    let count = this.watchers.size;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }

  /** Starts `systemctl start <unit>` in the background as a job; a run of the unit already followed is returned instead. */
  async startUnitJob(type: string, unit: string): Promise<JobView> {
    const running = this.runningJobOfUnit(unit);
    if (running !== undefined) return toJobView(running);
    const job = await this.create(type, unit);
    void this.followUnit(job, this.startUnit(unit));
    return toJobView(job);
  }

  /**
   * The 1.2 endpoints' way: runs `systemctl start <unit>` and waits for its exit code, while the
   * run is recorded as a job (or joins the job already following that unit).
   */
  async runUnit(type: string, unit: string): Promise<UnitRun> {
    const running = this.runningJobOfUnit(unit);
    const job = running ?? (await this.create(type, unit));
    const started = this.startUnit(unit);
    if (running === undefined) void this.followUnit(job, started);
    const { exitCode } = await started;
    return { exitCode, jobId: job.id, location: `/jobs/${job.id}` };
  }

  /**
   * Runs in-process work (a backup) as a job; its promise settles the job, `report` sets progress.
   * The job is in the registry when this returns (its record is written before the work starts).
   * `service` names the service whose data the work is for, when it is one service's (serviceOf).
   */
  startWork(type: string, work: Work, service?: string): Promise<JobView> {
    const created = this.create(type, null, service);
    return created.then((job) => {
      this.runWork(job, work);
      return toJobView(job);
    });
  }

  /**
   * The service whose data a job backs up or restores, as startWork was told; undefined for any other
   * job. Kept beside the job's view, not in it: the REST answers of a job stay as they are.
   */
  serviceOf(id: string): string | undefined {
    return this.loaded().get(id)?.service;
  }

  /** Stops following (records stay `running` for the next process to settle), ends every stream, waits for writes. */
  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.sleepers) wake();
    for (const set of this.listeners.values()) for (const listener of set) listener.onEnd();
    this.listeners.clear();
    for (const watcher of this.watchers) watcher.onEnd();
    this.watchers.clear();
    await this.store.drain();
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private loaded(): Map<string, StoredJob> {
    if (this.jobs !== null) return this.jobs;
    this.jobs = new Map(this.store.load().map((job) => [job.id, job]));
    for (const job of this.jobs.values()) {
      if (job.state !== 'running' || job.runId === this.runId) continue;
      job.runId = this.runId;
      const resume = this.resumers.get(job.type);
      if (job.unit !== null) void this.followUnit(job, undefined);
      else if (resume !== undefined) this.runWork(job, resume);
      else void this.finish(job, 'failed', 'The API stopped while the job was running');
    }
    return this.jobs;
  }

  private runningJobOfUnit(unit: string): StoredJob | undefined {
    return [...this.loaded().values()].find((job) => job.unit === unit && job.state === 'running');
  }

  private runWork(job: StoredJob, work: Work): void {
    const handle: WorkHandle = {
      job: toJobView(job),
      service: job.service,
      resumeData: { ...job.resumeData },
      report: (fraction) => {
        if (job.state !== 'running' || !Number.isFinite(fraction)) return;
        const progress = Math.min(1, Math.max(0, fraction));
        if (progress === job.progress) return;
        job.progress = progress;
        this.changed(job);
      },
      remember: (data) => {
        job.resumeData = { ...job.resumeData, ...data };
        Object.assign(handle.resumeData, data);
        return this.persist();
      },
    };
    let running: Promise<void>;
    try {
      running = work(handle);
    } catch (error) {
      // A work function that throws before returning its promise still settles its job.
      running = Promise.reject(error);
    }
    void running.then(
      () => this.finish(job, 'succeeded', null),
      (error: unknown) => this.finish(job, 'failed', error instanceof Error ? error.message : String(error)),
    );
  }

  /** Adds a running job; its record is in the registry at once and on disk when the promise settles. */
  private async create(type: string, unit: string | null, service?: string): Promise<StoredJob> {
    const jobs = this.loaded();
    const job: StoredJob = {
      id: randomUUID(),
      type,
      unit,
      state: 'running',
      startedAt: this.now().toISOString(),
      endedAt: null,
      progress: null,
      error: null,
      log: [],
      runId: this.runId,
    };
    if (service !== undefined) job.service = service;
    jobs.set(job.id, job);
    // On disk before the work starts: a crash right after still leaves a truthful record.
    await this.persist();
    this.tellWatchers(job);
    return job;
  }

  private startUnit(unit: string): Promise<RunResult> {
    // `--`: whatever the unit is, systemctl reads it as a unit, never as an option (jobs.json is not trusted).
    return this.options.system.run('systemctl', ['start', '--', unit], { timeoutMs: this.settings.unitStartTimeoutMs });
  }

  /** Follows a unit's run to its end: the exit of `systemctl start` when we started it, then systemd's state. */
  private async followUnit(job: StoredJob, started: Promise<RunResult> | undefined): Promise<void> {
    const unit = job.unit as string;
    try {
      if (started !== undefined) {
        const result = await started;
        if (result.exitCode === 127) return await this.finish(job, 'failed', 'systemctl could not be started');
        // A timed-out `systemctl start` only stopped waiting; the unit's state tells the rest.
        if (result.exitCode !== 0 && !result.timedOut) {
          return await this.finish(job, 'failed', `systemctl start ${unit} exited with ${result.exitCode}`);
        }
      }
      const giveUpAt = Date.parse(job.startedAt) + this.settings.maxFollowMs;
      while (!this.closed && job.state === 'running') {
        const verdict = judgeUnitState(await this.unitState(unit));
        if (verdict.state === 'succeeded') return await this.finish(job, 'succeeded', null);
        if (verdict.state === 'failed') return await this.finish(job, 'failed', verdict.reason);
        if (verdict.state === 'unknown') {
          // Only a clean `systemctl start` of ours can vouch for a run systemd no longer describes.
          return await (started !== undefined && !(await started).timedOut
            ? this.finish(job, 'succeeded', null)
            : this.finish(job, 'failed', `systemd did not report the state of ${unit}`));
        }
        if (this.now().getTime() > giveUpAt) return await this.finish(job, 'failed', `${unit} was still running when the API stopped following it`);
        await this.sleep(this.settings.pollIntervalMs);
      }
    } catch (error) {
      this.options.log.error('job follow failed', { jobId: job.id, errorMessage: (error as Error).message });
    }
  }

  private async unitState(unit: string) {
    const args = ['show', ...UNIT_STATE_PROPERTIES.flatMap((name) => ['-p', name]), '--', unit];
    const result = await this.options.system.run('systemctl', args, { timeoutMs: SYSTEMCTL_SHOW_TIMEOUT_MS });
    return result.exitCode === 0 ? parseUnitState(result.stdout) : {};
  }

  private async finish(job: StoredJob, state: 'succeeded' | 'failed', error: string | null): Promise<void> {
    // Reading the journal and writing take a moment; a second verdict meanwhile must not end the job twice.
    if (job.state !== 'running' || this.finishing.has(job.id)) return;
    this.finishing.add(job.id);
    const ended: StoredJob = {
      ...job,
      log: job.unit !== null ? await this.journalTail(job) : job.log,
      state,
      endedAt: this.now().toISOString(),
      error: error === null ? null : error.slice(0, MAX_ERROR_LENGTH),
      progress: state === 'succeeded' && job.progress !== null ? 1 : job.progress,
    };
    // Its work is done: nothing is left for a later process to resume.
    delete ended.resumeData;
    // On disk before anyone is told: a restart right after must not find the job still running.
    await this.persist(ended);
    this.finishing.delete(job.id);
    Object.assign(job, ended);
    delete job.resumeData;
    this.logCache.delete(job.id);
    this.changed(job);
  }

  private tellWatchers(job: StoredJob): void {
    if (this.watchers.size === 0) return;
    const view = toJobView(job);
    for (const watcher of [...this.watchers]) watcher.onChange(view);
  }

  private changed(job: StoredJob): void {
    this.tellWatchers(job);
    const set = this.listeners.get(job.id);
    if (set !== undefined) {
      const view = toJobView(job);
      for (const listener of [...set]) {
        listener.onChange(view);
        if (job.state !== 'running') listener.onEnd();
      }
      if (job.state !== 'running') this.listeners.delete(job.id);
    }
    if (job.unit === null && job.state === 'running') void this.persist();
  }

  /** Writes jobs.json; `ending` is written in place of the job with its id, not yet shown in memory. */
  private async persist(ending?: StoredJob): Promise<void> {
    // After close the next process owns the file; it settles whatever is still marked running.
    if (this.closed) return;
    const jobs = this.loaded();
    try {
      await this.store.save(() => {
        const current = [...jobs.values()].map((job) => (job.id === ending?.id && job.state === 'running' ? ending : job));
        const kept = retainedJobs(current);
        // Dropped finished jobs leave memory too, so the registry never grows without bound.
        for (const id of jobs.keys()) if (!kept.some((job) => job.id === id)) jobs.delete(id);
        return kept;
      });
    } catch (error) {
      this.options.log.error('jobs file write failed', { errorMessage: (error as Error).message });
    }
  }

  private async withLiveLog(job: StoredJob): Promise<JobView> {
    const view = toJobView(job);
    if (job.state !== 'running' || job.unit === null) return view;
    const cached = this.logCache.get(job.id);
    if (cached !== undefined && Date.now() - cached.at < this.settings.logRefreshMs) return { ...view, log: cached.lines };
    const lines = await this.journalTail(job);
    this.logCache.set(job.id, { at: Date.now(), lines });
    return { ...view, log: lines };
  }

  /** The unit's last journal lines since the job started, oldest first; none when the journal cannot be read. */
  private async journalTail(job: StoredJob): Promise<JobLogLine[]> {
    const read = await readJournal(this.options.system, {
      unit: job.unit as string,
      lines: JOB_LOG_LINES,
      newestFirst: false,
      since: new Date(job.startedAt),
    });
    return read.ok ? read.entries.map((entry) => ({ time: entry.time, message: entry.message })) : [];
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref();
      this.sleepers.add(wake);
    });
  }
}

/** The registry of a server root. */
export function createJobRegistry(paths: ServerPaths, options: JobRegistryOptions): JobRegistry {
  return new JobRegistry(new JobStore(paths.jobs, options.log, paths.root), options);
}
