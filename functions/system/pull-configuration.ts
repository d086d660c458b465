// GET /system/configuration/pull: `git pull` in the NixOS configuration checkout (etc/nixos).
import { z } from 'zod';
import { gitInNixosConfig } from '../../domain/nixos-config-git.js';
import type { Ctx } from '../../kit/context.js';
import { HttpError } from '../../core/errors.js';
import { json } from '../../kit/respond.js';

const PullBody = z.object({ status: z.number().int(), message: z.string(), data: z.string() });
export type PullOutcome = z.infer<typeof PullBody>;

export const responses = {
  200: { description: 'Update completed successfully', schema: PullBody },
  500: { description: 'git pull failed; status is its exit code, data its output', schema: PullBody },
};

/** Runs `git pull`; a failure is a 500 whose body holds git's exit code and output. */
export async function pullConfiguration(ctx: Ctx): Promise<PullOutcome> {
  const result = await gitInNixosConfig(ctx.system, ctx.store.paths, ['pull']);
  // The original answered git's standard output and error together.
  const data = result.stdout + result.stderr;
  if (result.exitCode !== 0) throw new HttpError(500, { status: result.exitCode, message: 'Something went wrong', data });
  return { status: 0, message: 'Update completed successfully', data };
}

export default async function pullConfigurationEndpoint(_request: Request, ctx: Ctx): Promise<Response> {
  return json(await pullConfiguration(ctx));
}
