// GET /services/restic/autobackup: the automatic backup period and the rotation quotas (API 1.3).
import { z } from 'zod';
import { QuotasSchema } from '../../backups/backup-preferences.js';
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';

export const AutobackupBody = z
  .object({
    period: z.number().int().positive().nullable().describe('Minutes between automatic backups of each service; null: none'),
    quotas: QuotasSchema.describe('Automatic snapshots kept per service by kind after each automatic backup; -1 keeps all of that kind'),
  })
  .meta({ id: 'Autobackup' });
export type AutobackupBody = z.infer<typeof AutobackupBody>;

export const responses = {
  200: { description: 'The period and the quotas', schema: AutobackupBody },
};

/** The operation: what the owner chose (kept by the API across restarts and restores). */
export function autobackupSettings(ctx: Ctx): AutobackupBody {
  const { autobackupPeriod, quotas } = ctx.backups.autobackupPreferences();
  return { period: autobackupPeriod, quotas };
}

export default function autobackupSettingsEndpoint(_request: Request, ctx: Ctx): Response {
  return json(autobackupSettings(ctx));
}
