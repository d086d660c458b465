// GET /system/configuration/{action} (apply, upgrade, rollback): `systemctl start` of the matching sp-nixos-* unit as a job, answering its exit code.
import { z } from 'zod';
import { CONFIGURATION_ACTIONS, type ConfigurationAction } from '../../domain/system-units.js';
import type { UnitRun } from '../../jobs/job-registry.js';
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';
import { parseWith } from '../../kit/validate.js';

/** An enum: the router serves the three paths only, so /system/configuration/timezone and the rest never reach here. */
export const params = z.object({
  action: z
    .enum(Object.keys(CONFIGURATION_ACTIONS) as [ConfigurationAction, ...ConfigurationAction[]])
    .describe('apply: `nixos-rebuild switch`; upgrade: with `--upgrade`; rollback: with `--rollback`'),
});

export const responses = {
  200: { description: 'Exit code of `systemctl start` (0: the unit ran); the Location header names the job (GET /jobs/{id})', schema: z.number().int() },
};

export type StartConfigurationUnitInput = z.input<typeof params>;

/** Runs `systemctl start` of the action's unit, followed as a job; answers once the unit has run (its exit code and job). */
export async function startConfigurationUnit(ctx: Ctx, input: StartConfigurationUnitInput): Promise<UnitRun> {
  const { unit, jobType } = CONFIGURATION_ACTIONS[parseWith(params, input).action];
  return ctx.jobs.runUnit(jobType, unit);
}

/** Answers as in 1.2 (200, the exit code as a number), with `Location: /jobs/<id>` so the app can follow the job (API 1.3). */
export default async function startConfigurationUnitEndpoint(_request: Request, ctx: Ctx): Promise<Response> {
  const { exitCode, location } = await startConfigurationUnit(ctx, parseWith(params, ctx.params));
  return json(exitCode, 200, { location });
}
