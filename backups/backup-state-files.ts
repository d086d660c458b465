// The controller's files under var/lib/selfprivacy-api/backups: the snapshot cache and restic's output (a job's record is in jobs.json).
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../core/logger.js';
import { writeFileAtomic } from '../store/atomic-write.js';
import { parseSnapshots, type Snapshot } from './snapshots.js';

export class BackupStateFiles {
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
    this.snapshotsFile = path.join(folder, 'snapshots.json');
    this.outputFile = path.join(folder, 'restic-output.jsonl');
    this.errorFile = path.join(folder, 'restic-errors.log');
  }

  /** Creates the folder (0700: restic's output names files of every user); its parents keep the usual mode. */
  ensureFolder(): void {
    fs.mkdirSync(path.dirname(this.folder), { recursive: true });
    fs.mkdirSync(this.folder, { recursive: true, mode: 0o700 });
  }

  readSnapshots(): Snapshot[] {
    try {
      return parseSnapshots(fs.readFileSync(this.snapshotsFile, 'utf8'));
    } catch {
      return [];
    }
  }

  /** Writes are queued, so the last list written is the last one asked for. */
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
}
