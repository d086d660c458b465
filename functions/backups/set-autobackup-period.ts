// PUT /services/restic/autobackup/period {period}: turns automatic backups on (minutes) or off (null or 0) (API 1.3).
import { z } from 'zod';
import { MAX_PERIOD_MINUTES } from '../../backups/backup-preferences.js';
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';
import { ErrorBody } from '../../kit/response-schemas.js';
import { parseBody } from '../../kit/validate.js';
import { AutobackupBody, autobackupSettings } from './autobackup-settings.js';

export const body = z.object({
  period: z.number().int().min(0).max(MAX_PERIOD_MINUTES).nullable().describe('Minutes between automatic backups of each service; null or 0 turns them off'),
});

export const responses = {
  200: { description: 'Stored; the period and quotas now', schema: AutobackupBody },
  400: { description: 'The period is missing, negative, not whole, or longer than a year', schema: ErrorBody },
};

/** The operation: stores the period; the server's scheduler backs up each switched-on service once it is due. */
export async function setAutobackupPeriod(ctx: Ctx, input: z.infer<typeof body>): Promise<AutobackupBody> {
  await ctx.backups.setAutobackupPeriod(input.period);
  return autobackupSettings(ctx);
}

export default async function setAutobackupPeriodEndpoint(request: Request, ctx: Ctx): Promise<Response> {
  return json(await setAutobackupPeriod(ctx, await parseBody(request, body)));
}
