// GET /services/status: `systemctl is-active` exit code of each service's unit, all checked at once.
import { z } from 'zod';
import { isActive } from '../../domain/service-status.js';
import { STATUS_UNITS, type StatusKey } from '../../domain/services.js';
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';

const keys = Object.keys(STATUS_UNITS) as StatusKey[];

export const responses = {
  200: {
    description: 'Exit code of `systemctl is-active` per service: 0 running, 3 stopped, others as systemctl gives them',
    schema: z.object(Object.fromEntries(keys.map((key) => [key, z.number().int()])) as Record<StatusKey, z.ZodNumber>),
  },
};

/** The `systemctl is-active` exit code of each service's unit. */
export async function getServicesStatus(ctx: Ctx): Promise<Record<StatusKey, number>> {
  const codes = await Promise.all(
    keys.map(async (key) => {
      const result = await isActive(ctx.system, [STATUS_UNITS[key]]);
      return [key, result.exitCode] as const;
    }),
  );
  return Object.fromEntries(codes) as Record<StatusKey, number>;
}

export default async function getServicesStatusEndpoint(_request: Request, ctx: Ctx): Promise<Response> {
  return json(await getServicesStatus(ctx));
}
