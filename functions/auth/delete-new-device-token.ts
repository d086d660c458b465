// DELETE /auth/new_device: cancels the pending new-device mnemonic.
import { z } from 'zod';
import type { Ctx } from '../../runtime/context.js';
import { json } from '../../runtime/respond.js';
import { AUTH_RESPONSES } from '../../runtime/response-schemas.js';

export const responses = {
  200: { description: 'No new-device mnemonic is pending any more', schema: z.object({ token: z.null() }) },
  ...AUTH_RESPONSES,
};

export default async function deleteNewDeviceToken(_request: Request, ctx: Ctx): Promise<Response> {
  await ctx.store.tokens.update((tokens) => {
    delete tokens.new_device;
  });
  return json({ token: null });
}
