// GET /jobs/{id}: one job with the last lines of its unit's journal (API 1.3).
import { JobBody } from '../../domain/jobs/job.js';
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

export default async function getJob(_request: Request, ctx: Ctx): Promise<Response> {
  const { id } = parseWith(params, ctx.params);
  return json((await ctx.jobs.get(id)) ?? jobNotFound());
}
