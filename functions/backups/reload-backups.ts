// GET /services/restic/backup/reload: refreshes the snapshot list in the background.
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';
import { StatusMessageBody } from '../../kit/response-schemas.js';

export const responses = {
  200: { description: 'Snapshot reload started', schema: StatusMessageBody },
};

export default function reloadBackups(_request: Request, ctx: Ctx): Response {
  ctx.backups.requestReload();
  return json({ status: 0, message: 'Snapshots reload started' });
}
