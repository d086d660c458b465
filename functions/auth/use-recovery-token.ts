// POST /auth/recovery_token/use {token, device} (public): a new API token for a recovery mnemonic.
import { z } from 'zod';
import { issueDeviceToken } from '../../domain/device-tokens.js';
import { mnemonicMatches } from '../../domain/mnemonic.js';
import { isRecoveryTokenValid } from '../../domain/recovery-token.js';
import { creatorHoldsToken } from '../../domain/token-creator.js';
import type { Ctx } from '../../kit/context.js';
import { notFound } from '../../core/errors.js';
import { json } from '../../kit/respond.js';
import { ErrorBody } from '../../kit/response-schemas.js';
import { parseBody, parseWith } from '../../kit/validate.js';
import { DeviceLoginBody } from './device-login-body.js';

export const body = DeviceLoginBody;

export const responses = {
  200: { description: 'New API token', schema: z.object({ token: z.string() }) },
  400: { description: 'Missing or mistyped field', schema: ErrorBody },
  404: { description: 'Wrong, expired or used-up recovery mnemonic', schema: ErrorBody },
};

export type UseRecoveryTokenInput = z.input<typeof body>;

/** Trades the recovery mnemonic for a new API token (the answer); a wrong, expired or used-up one is a 404. */
export async function useRecoveryToken(ctx: Ctx, input: UseRecoveryTokenInput): Promise<string> {
  const { token: mnemonic, device } = parseWith(body, input);
  const now = ctx.now();
  return ctx.store.tokens.update((tokens) => {
    const record = tokens.recovery_token;
    if (!record || !mnemonicMatches(mnemonic, record.token) || !isRecoveryTokenValid(record, now) || !creatorHoldsToken(tokens, record)) {
      throw notFound({ error: 'Token not found' });
    }
    if (typeof record.uses_left === 'number') record.uses_left -= 1;
    return issueDeviceToken(tokens, device, now);
  });
}

export default async function useRecoveryTokenEndpoint(request: Request, ctx: Ctx): Promise<Response> {
  return json({ token: await useRecoveryToken(ctx, await parseBody(request, body)) });
}
