// PUT /system/configuration/autoUpgrade {enable?, allowReboot?}: changes only the settings given.
import { z } from 'zod';
import type { Ctx } from '../../kit/context.js';
import { getAutoUpgrade, type AutoUpgradeSettings } from './get-auto-upgrade.js';
import { readJsonBody } from '../../kit/body.js';
import { json } from '../../kit/respond.js';
import { ErrorBody } from '../../kit/response-schemas.js';
import { parseWith } from '../../kit/validate.js';
import { ensureSection } from '../../store/userdata-section.js';

export const body = z.object({ enable: z.boolean().optional(), allowReboot: z.boolean().optional() });

export const responses = {
  200: { description: 'Auto-upgrade settings changed', schema: z.literal('Auto-upgrade settings changed') },
  400: { description: 'A setting that is not a boolean', schema: ErrorBody },
  500: { description: 'userdata.json could not be read or written', schema: ErrorBody },
};

export type SetAutoUpgradeInput = z.input<typeof body>;

/** Sets the settings given (an absent one stays as it is); answers the settings as stored now. */
export async function setAutoUpgrade(ctx: Ctx, given: SetAutoUpgradeInput): Promise<AutoUpgradeSettings> {
  const input = parseWith(body, given);
  const changes = Object.entries(input).filter((entry): entry is [string, boolean] => typeof entry[1] === 'boolean');
  if (changes.length > 0) {
    await ctx.store.userdata.update((data) => {
      const section = ensureSection(data, 'autoUpgrade');
      for (const [key, value] of changes) section[key] = value;
    });
  }
  return getAutoUpgrade(ctx);
}

export default async function setAutoUpgradeEndpoint(request: Request, ctx: Ctx): Promise<Response> {
  // Both settings are optional, so is the body (the original treated a bodiless PUT as `{}`).
  const received = await readJsonBody(request);
  await setAutoUpgrade(ctx, parseWith(body, received === undefined ? {} : received));
  return json('Auto-upgrade settings changed');
}
