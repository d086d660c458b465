// POST /auth/recovery_token {expiration?, uses?}: an 18-word mnemonic replacing any earlier one.
import { z } from 'zod';
import { newMnemonicSecret } from '../../domain/mnemonic.js';
import { formatTokenDate, parseDocumentedDate } from '../../domain/token-dates.js';
import type { Ctx } from '../../kit/context.js';
import { readJsonBody } from '../../kit/body.js';
import { badRequest } from '../../core/errors.js';
import { json } from '../../kit/respond.js';
import { ErrorBody } from '../../kit/response-schemas.js';
import { parseWith } from '../../kit/validate.js';

export const body = z.object({
  expiration: z.string().max(64).nullable().optional(),
  uses: z.number().int().nullable().optional(),
});

export const responses = {
  200: { description: 'Recovery mnemonic', schema: z.object({ token: z.string() }) },
  400: { description: 'Expiration not in the documented format or in the past, or uses below 1', schema: ErrorBody },
};

export type CreateRecoveryTokenInput = z.input<typeof body>;

/** A recovery mnemonic (the answer) replacing any earlier one, limited in time and uses when asked. */
export async function createRecoveryToken(ctx: Ctx, given: CreateRecoveryTokenInput): Promise<string> {
  const input = parseWith(body, given);
  const now = ctx.now();
  let expiration: string | null = null;
  if (input.expiration !== undefined && input.expiration !== null) {
    const date = parseDocumentedDate(input.expiration);
    if (date === null) throw badRequest('Invalid field expiration: expected %Y-%m-%dT%H:%M:%S.%fZ', 'expiration');
    if (date.getTime() <= now.getTime()) throw badRequest('Invalid field expiration: must be in the future', 'expiration');
    expiration = formatTokenDate(date);
  }
  if (input.uses !== undefined && input.uses !== null && input.uses < 1) {
    throw badRequest('Invalid field uses: must be 1 or more', 'uses');
  }
  const secret = newMnemonicSecret(24);
  await ctx.store.tokens.update((tokens) => {
    tokens.recovery_token = {
      token: secret.hex,
      date: formatTokenDate(now),
      expiration,
      uses_left: input.uses ?? null,
      // Revoking that device ends this token too (domain/token-creator.ts).
      ...(ctx.caller === null ? {} : { created_by: ctx.caller.name }),
    };
  });
  return secret.mnemonic;
}

export default async function createRecoveryTokenEndpoint(request: Request, ctx: Ctx): Promise<Response> {
  // Both fields are optional, so is the body.
  const input = parseWith(body, (await readJsonBody(request)) ?? {});
  return json({ token: await createRecoveryToken(ctx, input) });
}
