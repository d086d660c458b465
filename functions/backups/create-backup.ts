// PUT /services/restic/backup/create: starts a backup of var and userdata.json; answers at once.
import type { Ctx } from '../../runtime/context.js';
import { json } from '../../runtime/respond.js';
import { AUTH_RESPONSES, ErrorBody, StatusMessageBody } from '../../runtime/response-schemas.js';

export const responses = {
  200: { description: 'Backup creation has started', schema: StatusMessageBody },
  400: { description: 'No Backblaze settings, or the repository is being initialised', schema: ErrorBody },
  409: { description: 'A backup or restore is already running', schema: ErrorBody },
  ...AUTH_RESPONSES,
};

export default function createBackup(_request: Request, ctx: Ctx): Response {
  ctx.backups.startBackup();
  return json({ status: 0, message: 'Backup creation has started' });
}
