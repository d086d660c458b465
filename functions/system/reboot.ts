// GET /system/reboot: answers first, then starts `reboot` detached from the API.
import { z } from 'zod';
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';

/** Time for the answer to reach the app before the machine starts going down. */
export const REBOOT_DELAY_MS = 1000;

export const responses = {
  200: { description: 'System reboot has started', schema: z.literal('System reboot has started') },
};

/** Starts `reboot` shortly, so the answer still reaches the app. */
export function rebootSystem(ctx: Ctx): void {
  ctx.log.warn('reboot requested', { device: ctx.caller?.name ?? null });
  setTimeout(() => ctx.system.spawnDetached('reboot', []), REBOOT_DELAY_MS);
}

export default function rebootSystemEndpoint(_request: Request, ctx: Ctx): Response {
  rebootSystem(ctx);
  return json('System reboot has started');
}
