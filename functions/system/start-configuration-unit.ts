// GET /system/configuration/apply|upgrade|rollback: `systemctl start` of the matching sp-nixos-* unit, answering its exit code.
import { z } from 'zod';
import { CONFIGURATION_UNIT_TIMEOUT_MS, CONFIGURATION_UNITS, isConfigurationAction } from '../../domain/system-units.js';
import type { Ctx } from '../../runtime/context.js';
import { notFound } from '../../runtime/errors.js';
import { pathSegments } from '../../runtime/request-path.js';
import { json } from '../../runtime/respond.js';
import { AUTH_RESPONSES, ErrorBody } from '../../runtime/response-schemas.js';

export const responses = {
  200: { description: 'Exit code of `systemctl start` (0: the unit ran)', schema: z.number().int() },
  404: { description: 'Not one of apply, upgrade, rollback', schema: ErrorBody },
  ...AUTH_RESPONSES,
};

/** The three routes share this file; the last path segment says which unit. */
export default async function startConfigurationUnit(request: Request, ctx: Ctx): Promise<Response> {
  const action = pathSegments(request).at(-1) ?? '';
  if (!isConfigurationAction(action)) throw notFound({ error: 'Unknown configuration action' });
  const unit = CONFIGURATION_UNITS[action];
  const result = await ctx.system.run('systemctl', ['start', unit], { timeoutMs: CONFIGURATION_UNIT_TIMEOUT_MS });
  if (result.exitCode !== 0) ctx.log.warn('configuration unit failed', { unit, exitCode: result.exitCode });
  return json(result.exitCode);
}
