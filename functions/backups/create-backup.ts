// PUT /services/restic/backup/create: starts a backup of var and userdata.json; answers at once.
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';
import { ErrorBody, StatusMessageBody } from '../../kit/response-schemas.js';

export const responses = {
  200: { description: 'Backup creation has started; the Location header names the job (GET /jobs/{id})', schema: StatusMessageBody },
  400: { description: 'No Backblaze settings, or the repository is being initialised', schema: ErrorBody },
  409: { description: 'A backup or restore is already running', schema: ErrorBody },
};

export default async function createBackup(_request: Request, ctx: Ctx): Promise<Response> {
  const job = await ctx.backups.startBackup();
  return json({ status: 0, message: 'Backup creation has started' }, 200, { location: `/jobs/${job.id}` });
}
