// The step the 1.2 endpoints apply/upgrade/rollback share in 1.3: start the unit as a job, answer its exit code.
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';

/**
 * Runs `systemctl start <unit>` recorded as a job and answers as in 1.2 (200, the exit code as a
 * number), with `Location: /jobs/<id>` so the app can follow the job (API 1.3).
 */
export async function answerWithUnitJob(ctx: Ctx, type: string, unit: string): Promise<Response> {
  const { exitCode, location } = await ctx.jobs.runUnit(type, unit);
  return json(exitCode, 200, { location });
}
