// GET /jobs/{id}/events: the job's state now and at each change, as server-sent events, until it ends (API 1.3).
import { z } from 'zod';
import type { JobView } from '../../domain/jobs/job.js';
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

export type JobEventsInput = z.input<typeof params>;

/** Follows a job: `onChange` with its state now and after each change, `onEnd` once it has ended; returns how to stop. */
export type JobFollower = (onChange: (job: JobView) => void, onEnd: () => void) => () => void;

/** How to follow the job; an unknown id is a 404 before anything is followed. */
export function jobEvents(ctx: Ctx, input: JobEventsInput): JobFollower {
  const { id } = parseWith(params, input);
  if (!ctx.jobs.has(id)) jobNotFound();
  return (onChange, onEnd) => ctx.jobs.subscribe(id, onChange, onEnd);
}

export default function jobEventsEndpoint(request: Request, ctx: Ctx): Response {
  const follow = jobEvents(ctx, parseWith(params, ctx.params));
  return eventStreamResponse(request, (send, end) => follow((job) => send('job', job), end));
}
