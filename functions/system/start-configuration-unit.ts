// GET /system/configuration/{action} (apply, upgrade, rollback): `systemctl start` of the matching sp-nixos-* unit as a job, answering its exit code.
import { z } from 'zod';
import { CONFIGURATION_ACTIONS, type ConfigurationAction } from '../../domain/system-units.js';
import type { Ctx } from '../../kit/context.js';
import { parseWith } from '../../kit/validate.js';
import { answerWithUnitJob } from './unit-job-answer.js';

/** An enum: the router serves the three paths only, so /system/configuration/timezone and the rest never reach here. */
export const params = z.object({
  action: z
    .enum(Object.keys(CONFIGURATION_ACTIONS) as [ConfigurationAction, ...ConfigurationAction[]])
    .describe('apply: `nixos-rebuild switch`; upgrade: with `--upgrade`; rollback: with `--rollback`'),
});

export const responses = {
  200: { description: 'Exit code of `systemctl start` (0: the unit ran); the Location header names the job (GET /jobs/{id})', schema: z.number().int() },
};

export default async function startConfigurationUnit(_request: Request, ctx: Ctx): Promise<Response> {
  const { unit, jobType } = CONFIGURATION_ACTIONS[parseWith(params, ctx.params).action];
  return answerWithUnitJob(ctx, jobType, unit);
}
