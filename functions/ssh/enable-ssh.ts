// POST /services/ssh/enable: the app's legacy switch; turns sshd on.
import { mutableSshSection } from '../../domain/ssh-settings.js';
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';
import { StatusMessageBody } from '../../kit/response-schemas.js';

export const responses = {
  200: { description: 'SSH enabled', schema: StatusMessageBody },
};

/** Turns sshd on. */
export async function enableSsh(ctx: Ctx): Promise<void> {
  await ctx.store.userdata.update((data) => {
    mutableSshSection(data).enable = true;
  });
}

export default async function enableSshEndpoint(_request: Request, ctx: Ctx): Promise<Response> {
  await enableSsh(ctx);
  return json({ status: 0, message: 'SSH enabled' });
}
