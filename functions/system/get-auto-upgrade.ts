// GET /system/configuration/autoUpgrade: automatic upgrade settings (enable defaults to true, allowReboot to false).
import { z } from 'zod';
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';
import { readFlag } from '../../store/userdata-section.js';

export const responses = {
  200: { description: 'Auto-upgrade settings', schema: z.object({ enable: z.boolean(), allowReboot: z.boolean() }) },
};

export default function getAutoUpgrade(_request: Request, ctx: Ctx): Response {
  const data = ctx.store.userdata.read();
  return json({
    enable: readFlag(data, 'autoUpgrade', 'enable', true),
    allowReboot: readFlag(data, 'autoUpgrade', 'allowReboot', false),
  });
}
