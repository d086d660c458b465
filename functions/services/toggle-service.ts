// Shared by enable-service.ts and disable-service.ts: sets `<service>.enable` for the service of the path.
import { z } from 'zod';
import { TOGGLEABLE_SERVICES, type ToggleableService } from '../../domain/services.js';
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';
import { ErrorBody, StatusMessageBody } from '../../kit/response-schemas.js';
import { parseWith } from '../../kit/validate.js';
import { ensureSection } from '../../store/userdata-section.js';

/** An enum: the router serves the five paths only, so `/services/ssh/enable` and unknown names never reach here. */
export const toggleParams = z.object({
  service: z.enum(Object.keys(TOGGLEABLE_SERVICES) as [ToggleableService, ...ToggleableService[]]).describe('The service: its section of userdata.json'),
});

export const toggleResponses = {
  200: { description: 'Service enabled or disabled', schema: StatusMessageBody },
  500: { description: 'userdata.json could not be read or written', schema: ErrorBody },
};

export type ToggleInput = z.input<typeof toggleParams>;

/** Sets `<service>.enable` in userdata. */
export async function setServiceEnabled(ctx: Ctx, input: ToggleInput, enable: boolean): Promise<void> {
  const { service } = parseWith(toggleParams, input);
  await ctx.store.userdata.update((data) => {
    ensureSection(data, service).enable = enable;
  });
}

/** What the REST adapters of enable and disable share: the service of the path, answered by name. */
export async function answerServiceToggle(ctx: Ctx, enable: boolean): Promise<Response> {
  const { service } = parseWith(toggleParams, ctx.params);
  await setServiceEnabled(ctx, { service }, enable);
  return json({ status: 0, message: `${TOGGLEABLE_SERVICES[service]} ${enable ? 'enabled' : 'disabled'}` });
}
