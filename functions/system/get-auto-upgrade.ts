// GET /system/configuration/autoUpgrade: automatic upgrade settings (enable defaults to true, allowReboot to false).
import { z } from 'zod';
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';
import { readFlag } from '../../store/userdata-section.js';

const AutoUpgradeSettings = z.object({ enable: z.boolean(), allowReboot: z.boolean() });
export type AutoUpgradeSettings = z.infer<typeof AutoUpgradeSettings>;

export const responses = {
  200: { description: 'Auto-upgrade settings', schema: AutoUpgradeSettings },
};

/** The automatic upgrade settings as stored, with their defaults. */
export function getAutoUpgrade(ctx: Ctx): AutoUpgradeSettings {
  const data = ctx.store.userdata.read();
  return {
    enable: readFlag(data, 'autoUpgrade', 'enable', true),
    allowReboot: readFlag(data, 'autoUpgrade', 'allowReboot', false),
  };
}

export default function getAutoUpgradeEndpoint(_request: Request, ctx: Ctx): Response {
  return json(getAutoUpgrade(ctx));
}
