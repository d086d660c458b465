// GET /system/configuration/apply|upgrade|rollback: `systemctl start` of the matching sp-nixos-* unit as a job, answering its exit code.
import { z } from 'zod';
import { CONFIGURATION_ACTIONS, isConfigurationAction } from '../../domain/system-units.js';
import type { Ctx } from '../../runtime/context.js';
import { notFound } from '../../core/errors.js';
import { pathSegments } from '../../runtime/request-path.js';
import { ErrorBody } from '../../runtime/response-schemas.js';
import { answerWithUnitJob } from './unit-job-answer.js';

export const responses = {
  200: { description: 'Exit code of `systemctl start` (0: the unit ran); the Location header names the job (GET /jobs/{id})', schema: z.number().int() },
  404: { description: 'Not one of apply, upgrade, rollback', schema: ErrorBody },
};

/** The three routes share this file; the last path segment says which unit. */
export default async function startConfigurationUnit(request: Request, ctx: Ctx): Promise<Response> {
  const action = pathSegments(request).at(-1) ?? '';
  if (!isConfigurationAction(action)) throw notFound({ error: 'Unknown configuration action' });
  const { unit, jobType } = CONFIGURATION_ACTIONS[action];
  return answerWithUnitJob(ctx, jobType, unit);
}
