// DELETE /services/restic/backup/{snapshotId}: forgets a snapshot (restic forget --prune) as a job (API 1.3).
import { z } from 'zod';
import type { JobView } from '../../domain/jobs/job.js';
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';
import { ErrorBody, StatusMessageBody } from '../../kit/response-schemas.js';
import { parseWith } from '../../kit/validate.js';

export const params = z.object({
  snapshotId: z.string().regex(/^[0-9a-f]{8,64}$/, 'must be a snapshot id (8 to 64 hexadecimal digits)').describe('The snapshot\'s short or full id'),
});

export const responses = {
  200: { description: 'Forgetting has started; the snapshot is no longer listed; the Location header names the job (GET /jobs/{id})', schema: StatusMessageBody },
  400: { description: 'Not a snapshot id, or no repository is set up', schema: ErrorBody },
  404: { description: 'No snapshot has that id', schema: ErrorBody },
};

/** The operation: the snapshot leaves the list at once; the job removes it from the repository. */
export function forgetSnapshot(ctx: Ctx, input: z.infer<typeof params>): Promise<JobView> {
  return ctx.backups.forgetSnapshot(input.snapshotId);
}

export default async function forgetSnapshotEndpoint(_request: Request, ctx: Ctx): Promise<Response> {
  const job = await forgetSnapshot(ctx, parseWith(params, ctx.params));
  return json({ status: 0, message: 'Forgetting the snapshot has started' }, 200, { location: `/jobs/${job.id}` });
}
