// PUT /system/configuration/timezone {timezone}: stores an IANA time zone name for NixOS.
import { z } from 'zod';
import { isTimeZoneName, MAX_TIME_ZONE_LENGTH } from '../../domain/time-zones.js';
import type { Ctx } from '../../kit/context.js';
import { badRequest } from '../../core/errors.js';
import { json } from '../../kit/respond.js';
import { ErrorBody } from '../../kit/response-schemas.js';
import { parseBody, parseWith } from '../../kit/validate.js';

export const body = z.object({ timezone: z.string().max(MAX_TIME_ZONE_LENGTH) });

export const responses = {
  200: { description: 'Timezone changed', schema: z.literal('Timezone changed') },
  400: { description: 'Missing body or field, or not an IANA time zone name', schema: ErrorBody },
};

export type SetTimezoneInput = z.input<typeof body>;

/** Stores an IANA time zone name (the answer); anything else is a 400. */
export async function setTimezone(ctx: Ctx, input: SetTimezoneInput): Promise<string> {
  const { timezone } = parseWith(body, input);
  if (!isTimeZoneName(timezone)) throw badRequest('Invalid field timezone: not an IANA time zone name', 'timezone');
  await ctx.store.userdata.update((data) => {
    data.timezone = timezone;
  });
  return timezone;
}

export default async function setTimezoneEndpoint(request: Request, ctx: Ctx): Promise<Response> {
  await setTimezone(ctx, await parseBody(request, body));
  return json('Timezone changed');
}
