// GET /services/restic/backup/list: the snapshots as `restic snapshots --json` lists them, from the cache.
import { z } from 'zod';
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';

export const responses = {
  200: {
    description: 'The snapshots of the repository (restic\'s JSON, each with at least short_id and time)',
    schema: z.array(z.looseObject({ id: z.string(), short_id: z.string(), time: z.string() })),
  },
};

export default function listBackups(_request: Request, ctx: Ctx): Response {
  return json(ctx.backups.snapshots());
}
