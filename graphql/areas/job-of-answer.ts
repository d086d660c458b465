// The job a REST unit started, found from the Location header (/jobs/<id>) it answers with.
import type { FunctionHandler } from '../../kit/context.js';
import type { ResolverContext } from '../area.js';
import { toApiJob, type ApiJob } from './jobs.js';

export interface LocationCapture {
  /** The unit, wrapped so its answer's Location header is kept before the body is read. */
  handler: FunctionHandler;
  /** The job named by that header, as the app reads jobs; null when the unit started none. */
  job(rctx: ResolverContext): Promise<ApiJob | null>;
}

export function capturingJobLocation(unit: FunctionHandler): LocationCapture {
  let location: string | null = null;
  return {
    handler: async (request, ctx) => {
      const response = await unit(request, ctx);
      location = response.headers.get('location');
      return response;
    },
    async job(rctx) {
      const id = location?.startsWith('/jobs/') ? location.slice('/jobs/'.length) : undefined;
      const job = id === undefined ? undefined : await rctx.ctx.jobs.get(id);
      return job === undefined ? null : toApiJob(job);
    },
  };
}
