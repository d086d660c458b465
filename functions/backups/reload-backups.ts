// GET /services/restic/backup/reload: refreshes the snapshot list in the background.
import type { Ctx } from '../../runtime/context.js';
import { json } from '../../runtime/respond.js';
import { StatusMessageBody } from '../../runtime/response-schemas.js';

export const responses = {
  200: { description: 'Snapshot reload started', schema: StatusMessageBody },
};

export default function reloadBackups(_request: Request, ctx: Ctx): Response {
  ctx.backups.requestReload();
  return json({ status: 0, message: 'Snapshots reload started' });
}
