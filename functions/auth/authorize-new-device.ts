// POST /auth/new_device/authorize {token, device} (public): trades the mnemonic for an API token.
import { z } from 'zod';
import { issueDeviceToken } from '../../domain/device-tokens.js';
import { isExpired } from '../../domain/expiry.js';
import { mnemonicMatches } from '../../domain/mnemonic.js';
import { creatorHoldsToken } from '../../domain/token-creator.js';
import type { Ctx } from '../../kit/context.js';
import { notFound } from '../../core/errors.js';
import { json } from '../../kit/respond.js';
import { ErrorBody } from '../../kit/response-schemas.js';
import { parseBody, parseWith } from '../../kit/validate.js';
import { DeviceLoginBody } from './device-login-body.js';

export const body = DeviceLoginBody;

export const responses = {
  200: { description: 'Device authorized', schema: z.object({ message: z.string(), token: z.string() }) },
  400: { description: 'Missing or mistyped field', schema: ErrorBody },
  404: { description: 'Wrong, used or expired mnemonic', schema: z.object({ message: z.string() }) },
};

export type AuthorizeNewDeviceInput = z.input<typeof body>;

/** Trades the pending new-device mnemonic for a new API token (the answer); a wrong, used or expired one is a 404. */
export async function authorizeNewDevice(ctx: Ctx, input: AuthorizeNewDeviceInput): Promise<string> {
  const { token: mnemonic, device } = parseWith(body, input);
  const now = ctx.now();
  return ctx.store.tokens.update((tokens) => {
    const pending = tokens.new_device;
    if (!pending || !mnemonicMatches(mnemonic, pending.token) || isExpired(pending.expiration, now) || !creatorHoldsToken(tokens, pending)) {
      throw notFound({ message: 'Token not found' });
    }
    // Single use: the mnemonic is gone in the same write that issues the token.
    delete tokens.new_device;
    return issueDeviceToken(tokens, device, now);
  });
}

export default async function authorizeNewDeviceEndpoint(request: Request, ctx: Ctx): Promise<Response> {
  const token = await authorizeNewDevice(ctx, await parseBody(request, body));
  return json({ message: 'Device authorized', token });
}
