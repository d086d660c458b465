// GET /jobs: every kept job, newest first (API 1.3).
import { z } from 'zod';
import { JobBody, type JobView } from '../../domain/jobs/job.js';
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';

export const responses = {
  200: { description: 'Running jobs and the last finished ones, newest first', schema: z.array(JobBody) },
};

/** Running jobs and the last finished ones, newest first. */
export function listJobs(ctx: Ctx): Promise<JobView[]> {
  return ctx.jobs.list();
}

export default async function listJobsEndpoint(_request: Request, ctx: Ctx): Promise<Response> {
  return json(await listJobs(ctx));
}
