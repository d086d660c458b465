// DELETE /auth/tokens {token_name}: revokes another device's token.
import { z } from 'zod';
import { dropSecretsCreatedBy } from '../../domain/token-creator.js';
import type { Ctx } from '../../kit/context.js';
import { HttpError, notFound } from '../../core/errors.js';
import { json } from '../../kit/respond.js';
import { ErrorBody, MessageBody } from '../../kit/response-schemas.js';
import { parseBody, parseWith } from '../../kit/validate.js';

export const body = z.object({ token_name: z.string().min(1).max(1024) });

export const responses = {
  200: { description: 'Token deleted', schema: MessageBody },
  400: { description: 'Missing name, or the caller\'s own token', schema: ErrorBody },
  404: { description: 'No token has that name', schema: ErrorBody },
};

export type DeleteTokenInput = z.input<typeof body>;

/** Revokes another device's token and what it created; an unknown name is a 404, the caller's own a 400. */
export async function deleteToken(ctx: Ctx, input: DeleteTokenInput): Promise<void> {
  const { token_name: name } = parseWith(body, input);
  await ctx.store.tokens.update((tokens) => {
    const list = tokens.tokens ?? [];
    const index = list.findIndex((record) => record.name === name);
    if (index === -1) throw notFound({ error: 'Token not found' });
    if (list[index]?.token === ctx.caller?.token) {
      throw new HttpError(400, { error: 'Cannot delete the token of the caller', field: 'token_name' });
    }
    list.splice(index, 1);
    // In the same write: a recovery phrase or an invitation the device made dies with it.
    dropSecretsCreatedBy(tokens, name);
  });
}

export default async function deleteTokenEndpoint(request: Request, ctx: Ctx): Promise<Response> {
  await deleteToken(ctx, await parseBody(request, body));
  return json({ message: 'Token deleted' });
}
