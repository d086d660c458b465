// GET /system/version: the kernel and machine as `uname -a` describes them.
import { z } from 'zod';
import type { Ctx } from '../../kit/context.js';
import { internalError } from '../../core/errors.js';
import { json } from '../../kit/respond.js';
import { ErrorBody } from '../../kit/response-schemas.js';

export const responses = {
  200: { description: 'Output of `uname -a`, trimmed', schema: z.object({ system_version: z.string() }) },
  500: { description: '`uname -a` failed', schema: ErrorBody },
};

/** `uname -a`, trimmed; a failure is a 500. */
export async function getSystemVersion(ctx: Ctx): Promise<string> {
  const result = await ctx.system.run('uname', ['-a'], { timeoutMs: 15_000 });
  if (result.exitCode !== 0) throw internalError(`uname -a failed with exit code ${result.exitCode}`);
  return result.stdout.trim();
}

export default async function getSystemVersionEndpoint(_request: Request, ctx: Ctx): Promise<Response> {
  return json({ system_version: await getSystemVersion(ctx) });
}
