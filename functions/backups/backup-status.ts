// GET /services/restic/backup/status: the state of backups, the running job's progress and the last error.
import { z } from 'zod';
import { BACKUP_STATES, type BackupStatus } from '../../backups/controller.js';
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';

export const responses = {
  200: {
    description: 'Backup state, progress (0..1) of the running backup or restore, and the error text',
    schema: z.object({ status: z.enum(BACKUP_STATES), progress: z.number().min(0).max(1), error_message: z.string().nullable() }),
  },
};

/** The operation: what the backup controller is doing now, or why it can do nothing. */
export function backupStatus(ctx: Ctx): BackupStatus {
  return ctx.backups.status();
}

export default function backupStatusEndpoint(_request: Request, ctx: Ctx): Response {
  return json(backupStatus(ctx));
}
