// GET /services/ssh: whether sshd runs and accepts passwords (true when unset).
import { z } from 'zod';
import { readSshSettings } from '../../domain/ssh-settings.js';
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';

export const responses = {
  200: { description: 'SSH settings', schema: z.object({ enable: z.boolean(), passwordAuthentication: z.boolean() }) },
};

export default function getSshSettings(_request: Request, ctx: Ctx): Response {
  return json(readSshSettings(ctx.store.userdata.read()));
}
