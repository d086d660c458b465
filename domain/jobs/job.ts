// A job: long work (a system rebuild, an upgrade, a backup) the app follows after its request returned.
import { z } from 'zod';
import { isSystemdUnitName } from '../unit-name.js';

export const JOB_STATES = ['running', 'succeeded', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

export const JobLogLine = z.object({ time: z.string().nullable(), message: z.string() });
export type JobLogLine = z.infer<typeof JobLogLine>;

/** A job as the API shows it. */
export const JobBody = z.object({
  id: z.string(),
  type: z.string().describe('What the job does: rebuild, upgrade, rollback, backup…'),
  unit: z.string().nullable().describe('The systemd unit doing the work, when there is one'),
  state: z.enum(JOB_STATES),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  progress: z.number().min(0).max(1).nullable().describe('0 to 1 where the work reports it, else null'),
  error: z.string().nullable().describe('Why a failed job failed'),
  log: z.array(JobLogLine).describe('The last lines of the unit\'s journal for this run'),
});
export type JobView = z.infer<typeof JobBody>;

/** What in-process work records for a later API process to finish it (restic's pid, the units a restore stopped). */
export const ResumeData = z.record(z.string(), z.unknown());
export type ResumeData = z.infer<typeof ResumeData>;

/**
 * A job as jobs.json stores it: the view plus the API process run that follows it, and its resume
 * data. jobs.json is not trusted (a local user may have edited it): its unit reaches `systemctl show` and
 * `journalctl -u`, so a record whose unit is not a unit name (an option such as `--host=…`) is not
 * loaded at all.
 */
export const StoredJob = JobBody.extend({
  unit: z.string().refine(isSystemdUnitName, 'must be a systemd unit name').nullable(),
  runId: z.string(),
  resumeData: ResumeData.optional(),
  /** The service whose data the job backs up or restores; absent for work on the whole server. */
  service: z.string().regex(/^[a-z0-9-]{1,64}$/).optional(),
});
export type StoredJob = z.infer<typeof StoredJob>;

/** Finished jobs kept in jobs.json (the running ones are always kept). */
export const MAX_FINISHED_JOBS = 100;

/** Journal lines kept per job. */
export const JOB_LOG_LINES = 20;

export function toJobView(job: StoredJob): JobView {
  const { runId: _runId, resumeData: _resumeData, service: _service, ...view } = job;
  return { ...view, log: [...view.log] };
}

/** Running jobs, then the newest finished ones up to the limit; newest first. */
export function retainedJobs(jobs: readonly StoredJob[]): StoredJob[] {
  const newestFirst = [...jobs].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  let finished = 0;
  return newestFirst.filter((job) => job.state === 'running' || ++finished <= MAX_FINISHED_JOBS);
}
