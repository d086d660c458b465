// GET /services/ssh/keys/{username}: the SSH keys of root, the main user or a user.
import { z } from 'zod';
import { keyHolderOf } from '../../domain/ssh-key-holders.js';
import { UsernamePathParams } from '../../domain/username.js';
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';
import { ErrorBody } from '../../kit/response-schemas.js';
import { parseWith } from '../../kit/validate.js';

export const params = UsernamePathParams;

export const responses = {
  200: { description: 'The account\'s public keys ([] when it has none)', schema: z.array(z.string()) },
  400: { description: 'A username no account can have', schema: ErrorBody },
  404: { description: 'No such user', schema: ErrorBody },
};

export type ListKeysInput = z.input<typeof params>;

/** The public keys of root, the main user or a user; an unknown user is a 404. */
export function listKeys(ctx: Ctx, input: ListKeysInput): string[] {
  const { username } = parseWith(params, input);
  return keyHolderOf(ctx.store.userdata.read(), username).keys();
}

export default function listKeysEndpoint(_request: Request, ctx: Ctx): Response {
  return json(listKeys(ctx, parseWith(params, ctx.params)));
}
