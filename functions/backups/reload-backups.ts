// GET /services/restic/backup/reload: refreshes the snapshot list in the background.
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';
import { StatusMessageBody } from '../../kit/response-schemas.js';

export const responses = {
  200: { description: 'Snapshot reload started', schema: StatusMessageBody },
};

/** The operation: asks restic for the snapshot list again, in the background. */
export function reloadBackups(ctx: Ctx): void {
  ctx.backups.requestReload();
}

export default function reloadBackupsEndpoint(_request: Request, ctx: Ctx): Response {
  reloadBackups(ctx);
  return json({ status: 0, message: 'Snapshots reload started' });
}
