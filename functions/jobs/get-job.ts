// GET /jobs/{id}: one job with the last lines of its unit's journal (API 1.3).
import type { z } from 'zod';
import { JobBody, type JobView } from '../../domain/jobs/job.js';
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';
import { ErrorBody } from '../../kit/response-schemas.js';
import { parseWith } from '../../kit/validate.js';
import { JobIdParams, jobNotFound } from './job-params.js';

export const params = JobIdParams;

export const responses = {
  200: { description: 'The job', schema: JobBody },
  404: { description: 'No job has that id', schema: ErrorBody },
};

export type GetJobInput = z.input<typeof params>;

/** The job with the last lines of its log; an unknown id is a 404. */
export async function getJob(ctx: Ctx, input: GetJobInput): Promise<JobView> {
  const { id } = parseWith(params, input);
  return (await ctx.jobs.get(id)) ?? jobNotFound();
}

export default async function getJobEndpoint(_request: Request, ctx: Ctx): Promise<Response> {
  return json(await getJob(ctx, parseWith(params, ctx.params)));
}
