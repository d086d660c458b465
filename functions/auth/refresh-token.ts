// POST /auth/tokens: replaces the caller's token with a new one, keeping the device name.
import { z } from 'zod';
import { newApiToken } from '../../domain/device-tokens.js';
import type { Ctx } from '../../kit/context.js';
import { notFound } from '../../core/errors.js';
import { json } from '../../kit/respond.js';
import { ErrorBody } from '../../kit/response-schemas.js';

export const responses = {
  200: { description: 'The caller\'s new token', schema: z.object({ token: z.string() }) },
  404: { description: 'The caller\'s token was deleted meanwhile', schema: ErrorBody },
};

/** Replaces the caller's token (the answer is the new one); a token deleted meanwhile is a 404. */
export async function refreshToken(ctx: Ctx): Promise<string> {
  const fresh = newApiToken();
  await ctx.store.tokens.update((tokens) => {
    const record = (tokens.tokens ?? []).find((candidate) => candidate.token === ctx.caller?.token);
    if (record === undefined) throw notFound({ error: 'Token not found' });
    record.token = fresh;
  });
  return fresh;
}

export default async function refreshTokenEndpoint(_request: Request, ctx: Ctx): Promise<Response> {
  return json({ token: await refreshToken(ctx) });
}
