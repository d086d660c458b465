// GET /services/restic/backup/status: the state of backups, the running job's progress and the last error.
import { z } from 'zod';
import { BACKUP_STATES } from '../../backups/controller.js';
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';

export const responses = {
  200: {
    description: 'Backup state, progress (0..1) of the running backup or restore, and the error text',
    schema: z.object({ status: z.enum(BACKUP_STATES), progress: z.number().min(0).max(1), error_message: z.string().nullable() }),
  },
};

export default function backupStatus(_request: Request, ctx: Ctx): Response {
  return json(ctx.backups.status());
}
