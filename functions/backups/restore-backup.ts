// PUT /services/restic/backup/restore {backupId}: restores a snapshot in the background, services stopped meanwhile.
import { z } from 'zod';
import type { JobView } from '../../domain/jobs/job.js';
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';
import { ErrorBody, StatusMessageBody } from '../../kit/response-schemas.js';
import { parseBody } from '../../kit/validate.js';

export const body = z.object({ backupId: z.string().min(1).max(128) });

export const responses = {
  200: { description: 'Backup restoration procedure started; the Location header names the job (GET /jobs/{id})', schema: StatusMessageBody },
  400: { description: 'Missing backupId, no Backblaze settings, or no initialised repository', schema: ErrorBody },
  404: { description: 'No snapshot has that id', schema: ErrorBody },
  409: { description: 'A backup or restore is already running', schema: ErrorBody },
};

/** The operation: a restore of one snapshot of the whole server started as a job (400 / 404 / 409 before any job exists). */
export function restoreBackup(ctx: Ctx, input: z.infer<typeof body>): Promise<JobView> {
  return ctx.backups.startRestore(input.backupId);
}

export default async function restoreBackupEndpoint(request: Request, ctx: Ctx): Promise<Response> {
  const job = await restoreBackup(ctx, await parseBody(request, body));
  return json({ status: 0, message: 'Backup restoration procedure started' }, 200, { location: `/jobs/${job.id}` });
}
