// GET /system/configuration/timezone: the server's time zone, "Europe/Uzhgorod" when unset.
import { z } from 'zod';
import { DEFAULT_TIME_ZONE } from '../../domain/time-zones.js';
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';

export const responses = {
  200: { description: 'IANA time zone name', schema: z.string() },
};

/** The stored time zone name, or the default when there is none. */
export function getTimezone(ctx: Ctx): string {
  const stored = ctx.store.userdata.read().timezone;
  return typeof stored === 'string' && stored !== '' ? stored : DEFAULT_TIME_ZONE;
}

export default function getTimezoneEndpoint(_request: Request, ctx: Ctx): Response {
  return json(getTimezone(ctx));
}
