// PUT /services/ssh {enable?, passwordAuthentication?}: changes only the switches given.
import { z } from 'zod';
import { mutableSshSection, readSshSettings, type SshSettings } from '../../domain/ssh-settings.js';
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';
import { ErrorBody } from '../../kit/response-schemas.js';
import { parseBody, parseWith } from '../../kit/validate.js';

export const body = z.object({
  enable: z.boolean().optional(),
  passwordAuthentication: z.boolean().optional(),
});

export const responses = {
  200: { description: 'Settings saved', schema: z.literal('SSH settings changed') },
  400: { description: 'Missing body, or a field that is not a boolean', schema: ErrorBody },
};

export type ChangeSshSettingsInput = z.input<typeof body>;

/** Sets the switches given (an absent one stays as it is); answers the settings as stored now. */
export async function changeSshSettings(ctx: Ctx, input: ChangeSshSettingsInput): Promise<SshSettings> {
  const changes = parseWith(body, input);
  if (changes.enable !== undefined || changes.passwordAuthentication !== undefined) {
    await ctx.store.userdata.update((data) => {
      const ssh = mutableSshSection(data);
      if (changes.enable !== undefined) ssh.enable = changes.enable;
      if (changes.passwordAuthentication !== undefined) ssh.passwordAuthentication = changes.passwordAuthentication;
    });
  }
  return readSshSettings(ctx.store.userdata.read());
}

export default async function changeSshSettingsEndpoint(request: Request, ctx: Ctx): Promise<Response> {
  await changeSshSettings(ctx, await parseBody(request, body));
  return json('SSH settings changed');
}
