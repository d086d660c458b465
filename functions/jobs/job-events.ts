// GET /jobs/{id}/events: the job's state now and at each change, as server-sent events, until it ends (API 1.3).
import { z } from 'zod';
import type { Ctx } from '../../kit/context.js';
import { eventStreamResponse } from '../../kit/event-stream.js';
import { ErrorBody } from '../../kit/response-schemas.js';
import { parseWith } from '../../kit/validate.js';
import { JobIdParams, jobNotFound } from './job-params.js';

export const params = JobIdParams;

export const responses = {
  200: {
    description:
      'text/event-stream: an `event: job` whose data is the job (JSON, as GET /jobs/{id} without live log lines) now and after each change; the stream ends once the job has ended',
    schema: z.string(),
  },
  404: { description: 'No job has that id', schema: ErrorBody },
};

export default function jobEvents(request: Request, ctx: Ctx): Response {
  const { id } = parseWith(params, ctx.params);
  if (!ctx.jobs.has(id)) jobNotFound();
  return eventStreamResponse(request, (send, end) => ctx.jobs.subscribe(id, (job) => send('job', job), end));
}
