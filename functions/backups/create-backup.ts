// PUT /services/restic/backup/create: starts a backup of var and userdata.json; answers at once.
import type { JobView } from '../../domain/jobs/job.js';
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';
import { ErrorBody, StatusMessageBody } from '../../kit/response-schemas.js';

export const responses = {
  200: { description: 'Backup creation has started; the Location header names the job (GET /jobs/{id})', schema: StatusMessageBody },
  400: { description: 'No Backblaze settings, or the repository is being initialised', schema: ErrorBody },
  409: { description: 'A backup or restore is already running', schema: ErrorBody },
};

/** The operation: a backup of the whole server started as a job (400 / 409 before any job exists). */
export function createBackup(ctx: Ctx): Promise<JobView> {
  return ctx.backups.startBackup();
}

export default async function createBackupEndpoint(_request: Request, ctx: Ctx): Promise<Response> {
  const job = await createBackup(ctx);
  return json({ status: 0, message: 'Backup creation has started' }, 200, { location: `/jobs/${job.id}` });
}
