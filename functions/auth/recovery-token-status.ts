// GET /auth/recovery_token: whether a recovery token exists, is valid, and how long it lasts.
import { z } from 'zod';
import { isRecoveryTokenValid } from '../../domain/recovery-token.js';
import { creatorHoldsToken } from '../../domain/token-creator.js';
import { displayStoredDate } from '../../domain/token-dates.js';
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';

const RecoveryTokenStatus = z.object({
  exists: z.boolean(),
  valid: z.boolean(),
  date: z.string().nullable(),
  expiration: z.string().nullable(),
  uses_left: z.number().int().nullable(),
  created_by: z.string().nullable().describe('Name of the device that created the recovery token (null when unknown); revoking that device ends the token'),
});
export type RecoveryTokenStatus = z.infer<typeof RecoveryTokenStatus>;

export const responses = {
  200: { description: 'Recovery token status', schema: RecoveryTokenStatus },
};

/** Whether a recovery token exists, is valid now, and its dates and uses left. */
export function recoveryTokenStatus(ctx: Ctx): RecoveryTokenStatus {
  const tokens = ctx.store.tokens.read();
  const record = tokens.recovery_token;
  if (!record) return { exists: false, valid: false, date: null, expiration: null, uses_left: null, created_by: null };
  return {
    exists: true,
    valid: isRecoveryTokenValid(record, ctx.now()) && creatorHoldsToken(tokens, record),
    date: displayStoredDate(record.date),
    expiration: displayStoredDate(record.expiration),
    uses_left: typeof record.uses_left === 'number' ? record.uses_left : null,
    created_by: typeof record.created_by === 'string' ? record.created_by : null,
  };
}

export default function recoveryTokenStatusEndpoint(_request: Request, ctx: Ctx): Response {
  return json(recoveryTokenStatus(ctx));
}
