// GET /auth/tokens: the devices holding API tokens, marking the caller's own.
import { z } from 'zod';
import { displayStoredDate } from '../../domain/token-dates.js';
import type { Ctx } from '../../kit/context.js';
import { jsonBytes, jsonResponse } from '../../kit/respond.js';
import { derived } from '../../store/derived.js';
import type { TokensFile } from '../../store/tokens.js';

const Device = z.object({ name: z.string(), date: z.string().nullable(), is_caller: z.boolean() });
export type Device = z.infer<typeof Device>;

export const responses = {
  200: { description: 'Tokens of every authorised device', schema: z.array(Device) },
};

function devicesOf(file: TokensFile, callerToken: string | undefined): Device[] {
  return (file.tokens ?? []).map((record) => ({ name: record.name, date: displayStoredDate(record.date), is_caller: record.token === callerToken }));
}

/** The devices holding tokens, the caller's own marked. */
export function listTokens(ctx: Ctx): Device[] {
  return devicesOf(ctx.store.tokens.read(), ctx.caller?.token);
}

export default function listTokensEndpoint(_request: Request, ctx: Ctx): Response {
  const callerToken = ctx.caller?.token;
  // The answer depends only on the file and the caller: made once per version of tokens.json and caller.
  const body = derived(ctx.store.tokens.read(), `GET /auth/tokens for ${callerToken}`, (file) => jsonBytes(devicesOf(file, callerToken)));
  return jsonResponse(body);
}
