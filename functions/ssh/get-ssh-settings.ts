// GET /services/ssh: whether sshd runs and accepts passwords (true when unset).
import { z } from 'zod';
import { readSshSettings, type SshSettings } from '../../domain/ssh-settings.js';
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';

export const responses = {
  200: { description: 'SSH settings', schema: z.object({ enable: z.boolean(), passwordAuthentication: z.boolean() }) },
};

/** Whether sshd runs and accepts passwords. */
export function getSshSettings(ctx: Ctx): SshSettings {
  return readSshSettings(ctx.store.userdata.read());
}

export default function getSshSettingsEndpoint(_request: Request, ctx: Ctx): Response {
  return json(getSshSettings(ctx));
}
