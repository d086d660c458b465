// jobs.json: the job records, kept across restarts, written like the other documents (locked, atomic).
import fs from 'node:fs';
import { StoredJob } from '../domain/jobs/job.js';
import type { Logger } from '../core/logger.js';
import { JsonDocument } from '../store/json-document.js';

interface JobsFile {
  jobs: StoredJob[];
  [unknown: string]: unknown;
}

export class JobStore {
  private readonly document: JsonDocument<JobsFile>;

  constructor(
    readonly filePath: string,
    private readonly log: Logger,
    /** The server root: no folder below it on the way to jobs.json may be a link. */
    trustedFolder?: string,
  ) {
    // Journal lines of a job may name things an admin would not show everyone: owner-only.
    this.document = new JsonDocument<JobsFile>(filePath, { mode: 0o600, trustedFolder, log });
  }

  /**
   * The stored jobs; none when the file is missing. A file that cannot be parsed is moved aside
   * (kept for the admin) so the jobs to come can be written again; malformed records are dropped.
   */
  load(): StoredJob[] {
    if (!this.document.exists()) return [];
    let file: JobsFile;
    try {
      file = this.document.read();
    } catch {
      const aside = `${this.filePath}.corrupt-${Date.now()}`;
      fs.renameSync(this.filePath, aside);
      this.log.error('jobs file unreadable; moved aside', { file: aside });
      return [];
    }
    const records = Array.isArray(file.jobs) ? file.jobs : [];
    const jobs = records.flatMap((record) => {
      const parsed = StoredJob.safeParse(record);
      return parsed.success ? [parsed.data] : [];
    });
    // Said in the log: a record dropped for a unit that is no unit name may be someone's attempt.
    if (jobs.length < records.length) this.log.warn('jobs file records not loaded: not valid', { count: records.length - jobs.length });
    return jobs;
  }

  /** Writes the jobs as `snapshot()` gives them when the write happens (writes in a burst share one). */
  async save(snapshot: () => StoredJob[]): Promise<void> {
    if (!this.document.exists()) await this.document.createIfMissing({ jobs: [] });
    await this.document.update((file) => {
      file.jobs = snapshot();
    });
  }

  drain(): Promise<void> {
    return this.document.drain();
  }
}
