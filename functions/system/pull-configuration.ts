// GET /system/configuration/pull: `git pull` in the NixOS configuration checkout (etc/nixos).
import { z } from 'zod';
import type { Ctx } from '../../runtime/context.js';
import { json } from '../../runtime/respond.js';
import { AUTH_RESPONSES } from '../../runtime/response-schemas.js';

const PULL_TIMEOUT_MS = 5 * 60_000;

const PullBody = z.object({ status: z.number().int(), message: z.string(), data: z.string() });

export const responses = {
  200: { description: 'Update completed successfully', schema: PullBody },
  500: { description: 'git pull failed; status is its exit code, data its output', schema: PullBody },
  ...AUTH_RESPONSES,
};

export default async function pullConfiguration(_request: Request, ctx: Ctx): Promise<Response> {
  const result = await ctx.system.run('git', ['pull'], {
    cwd: ctx.store.paths.nixosConfig,
    timeoutMs: PULL_TIMEOUT_MS,
    // No one is there to type a password: fail instead of waiting for one.
    env: { GIT_TERMINAL_PROMPT: '0' },
  });
  // The original answered git's standard output and error together.
  const data = result.stdout + result.stderr;
  if (result.exitCode === 0) return json({ status: 0, message: 'Update completed successfully', data });
  return json({ status: result.exitCode, message: 'Something went wrong', data }, 500);
}
