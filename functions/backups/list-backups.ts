// GET /services/restic/backup/list: the snapshots as `restic snapshots --json` lists them, from the cache.
import { z } from 'zod';
import type { Snapshot } from '../../backups/snapshots.js';
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';

export const responses = {
  200: {
    description: 'The snapshots of the repository (restic\'s JSON, each with at least short_id and time)',
    schema: z.array(z.looseObject({ id: z.string(), short_id: z.string(), time: z.string() })),
  },
};

/** The operation: the cached snapshot list, as restic gave it (a reload refreshes it). */
export function listBackups(ctx: Ctx): readonly Snapshot[] {
  return ctx.backups.snapshots();
}

export default function listBackupsEndpoint(_request: Request, ctx: Ctx): Response {
  return json(listBackups(ctx));
}
