// DELETE /auth/new_device: cancels the pending new-device mnemonic.
import { z } from 'zod';
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';

export const responses = {
  200: { description: 'No new-device mnemonic is pending any more', schema: z.object({ token: z.null() }) },
};

/** Cancels the pending new-device mnemonic, if any. */
export async function deleteNewDeviceToken(ctx: Ctx): Promise<void> {
  await ctx.store.tokens.update((tokens) => {
    delete tokens.new_device;
  });
}

export default async function deleteNewDeviceTokenEndpoint(_request: Request, ctx: Ctx): Promise<Response> {
  await deleteNewDeviceToken(ctx);
  return json({ token: null });
}
