// POST /auth/new_device: a 12-word mnemonic a new device can trade for a token within 10 minutes.
import { z } from 'zod';
import { newMnemonicSecret } from '../../domain/mnemonic.js';
import { formatTokenDate } from '../../domain/token-dates.js';
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';

export const NEW_DEVICE_LIFETIME_MS = 10 * 60 * 1000;

export const responses = {
  200: { description: 'Mnemonic for the new device', schema: z.object({ token: z.string() }) },
};

/** A new-device mnemonic (the answer) replacing any earlier one. */
export async function createNewDeviceToken(ctx: Ctx): Promise<string> {
  const secret = newMnemonicSecret(16);
  const now = ctx.now();
  await ctx.store.tokens.update((tokens) => {
    // Only one at a time: a new one replaces any earlier one.
    tokens.new_device = {
      token: secret.hex,
      date: formatTokenDate(now),
      expiration: formatTokenDate(new Date(now.getTime() + NEW_DEVICE_LIFETIME_MS)),
      // Revoking that device ends this mnemonic too (domain/token-creator.ts).
      ...(ctx.caller === null ? {} : { created_by: ctx.caller.name }),
    };
  });
  return secret.mnemonic;
}

export default async function createNewDeviceTokenEndpoint(_request: Request, ctx: Ctx): Promise<Response> {
  return json({ token: await createNewDeviceToken(ctx) });
}
