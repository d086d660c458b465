// PUT /services/restic/autobackup/quotas {last, daily, weekly, monthly, yearly}: rotation of automatic snapshots (API 1.3).
import type { z } from 'zod';
import { QuotasSchema } from '../../backups/backup-preferences.js';
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';
import { ErrorBody } from '../../kit/response-schemas.js';
import { parseBody } from '../../kit/validate.js';
import { AutobackupBody, autobackupSettings } from './autobackup-settings.js';

export const body = QuotasSchema;

export const responses = {
  200: { description: 'Stored; every service\'s automatic snapshots are rotated by them in the background', schema: AutobackupBody },
  400: { description: 'A count is missing, not whole, or below -1', schema: ErrorBody },
};

/** The operation: stores the quotas and rotates at once (explicit and pre-restore snapshots are never rotated). */
export async function setAutobackupQuotas(ctx: Ctx, quotas: z.infer<typeof body>): Promise<AutobackupBody> {
  await ctx.backups.setAutobackupQuotas(quotas);
  return autobackupSettings(ctx);
}

export default async function setAutobackupQuotasEndpoint(request: Request, ctx: Ctx): Promise<Response> {
  return json(await setAutobackupQuotas(ctx, await parseBody(request, body)));
}
