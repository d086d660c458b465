// The controller's files under var/lib/selfprivacy-api/backups: its state across restarts, the snapshot cache, restic's output.
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../runtime/logger.js';
import { writeFileAtomic } from '../store/atomic-write.js';
import { RESTORE_STOPPED_UNITS } from './restore-units.js';
import { parseSnapshots, type Snapshot } from './snapshots.js';

/** A backup or restore in progress, as recorded for the next API process. */
export interface JobRecord {
  kind: 'backup' | 'restore';
  startedAt: string;
  /** restore: the snapshot being restored. */
  snapshotId?: string;
  shortId?: string;
  /** restic's process once started, with its start time so that a reused pid is not mistaken for it. */
  pid?: number;
  pidStartTime?: string;
  /** restore: the units this job stopped and must start again, whatever happens. */
  stoppedUnits?: string[];
}

export interface SavedState {
  job: JobRecord | null;
  /** Why the last backup or restore failed; cleared by the next one that succeeds. */
  jobError: string | null;
}

const EMPTY_STATE: SavedState = { job: null, jobError: null };

export class BackupStateFiles {
  readonly stateFile: string;
  readonly snapshotsFile: string;
  /** restic's standard output (its `--json` lines) and error of the running or last job. */
  readonly outputFile: string;
  readonly errorFile: string;
  private writes = new Map<string, Promise<void>>();
  /** After shutdown nothing more is written: the next process goes by the last state on disk. */
  private closed = false;

  constructor(
    readonly folder: string,
    private readonly log: Logger,
  ) {
    this.stateFile = path.join(folder, 'state.json');
    this.snapshotsFile = path.join(folder, 'snapshots.json');
    this.outputFile = path.join(folder, 'restic-output.jsonl');
    this.errorFile = path.join(folder, 'restic-errors.log');
  }

  /** Creates the folder (0700: restic's output names files of every user); its parents keep the usual mode. */
  ensureFolder(): void {
    fs.mkdirSync(path.dirname(this.folder), { recursive: true });
    fs.mkdirSync(this.folder, { recursive: true, mode: 0o700 });
  }

  readState(): SavedState {
    const saved = this.readJson(this.stateFile);
    if (saved === undefined || saved === null || typeof saved !== 'object') return { ...EMPTY_STATE };
    const record = saved as Partial<SavedState>;
    return {
      job: record.job !== null && typeof record.job === 'object' && (record.job.kind === 'backup' || record.job.kind === 'restore') ? trustedJob(record.job) : null,
      jobError: typeof record.jobError === 'string' ? record.jobError : null,
    };
  }

  readSnapshots(): Snapshot[] {
    try {
      return parseSnapshots(fs.readFileSync(this.snapshotsFile, 'utf8'));
    } catch {
      return [];
    }
  }

  /** Writes are queued per file, so the last state written is the last state asked for. */
  writeState(state: SavedState): Promise<void> {
    return this.write(this.stateFile, JSON.stringify(state, null, 4));
  }

  writeSnapshots(snapshots: readonly Snapshot[]): Promise<void> {
    return this.write(this.snapshotsFile, JSON.stringify(snapshots, null, 4));
  }

  /** Waits for every queued write, then accepts no more (shutdown). */
  async close(): Promise<void> {
    await Promise.all([...this.writes.values()]);
    this.closed = true;
  }

  private write(file: string, text: string): Promise<void> {
    if (this.closed) return Promise.resolve();
    const previous = this.writes.get(file) ?? Promise.resolve();
    const next = previous.then(async () => {
      this.ensureFolder();
      await writeFileAtomic(file, text, { mode: 0o600 });
    });
    // A failed write is logged; the next one is still attempted.
    this.writes.set(file, next.catch((error: NodeJS.ErrnoException) => {
      this.log.error('backup state write failed', { file: path.basename(file), code: error.code ?? error.message });
    }));
    return next;
  }

  private readJson(file: string): unknown {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.log.warn('backup state unreadable; starting afresh', { file: path.basename(file) });
      }
      return undefined;
    }
  }
}

/**
 * What of a saved job is handed to commands again is checked first (issue 14 item 15): the units
 * a restore stopped go to `systemctl start`, so only units this API stops are kept; the pid must
 * be a real process id (kill(0) or kill(-1) would mean a whole group).
 */
function trustedJob(job: JobRecord): JobRecord {
  const trusted: JobRecord = { ...job };
  if (!(Number.isSafeInteger(job.pid) && (job.pid as number) > 0)) delete trusted.pid;
  if (job.stoppedUnits !== undefined) {
    trusted.stoppedUnits = Array.isArray(job.stoppedUnits) ? job.stoppedUnits.filter((unit) => RESTORE_STOPPED_UNITS.includes(unit)) : [];
  }
  return trusted;
}
