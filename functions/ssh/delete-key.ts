// DELETE /services/ssh/keys/{username} {public_key}: removes a key of root, the main user or a user.
import { z } from 'zod';
import { keyHolderOf, removeKey } from '../../domain/ssh-key-holders.js';
import { UsernamePathParams } from '../../domain/username.js';
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';
import { ErrorBody, MessageBody } from '../../kit/response-schemas.js';
import { parseBody, parseWith } from '../../kit/validate.js';
import { StoredPublicKeyBody } from './public-key-body.js';

export const params = UsernamePathParams;
export const body = StoredPublicKeyBody;

export const responses = {
  200: { description: 'Key deleted', schema: MessageBody },
  400: { description: 'Missing key, or a username no account can have', schema: ErrorBody },
  404: { description: 'No such user, or the user has no such key', schema: ErrorBody },
};

const Input = z.object({ ...params.shape, ...body.shape });
export type DeleteKeyInput = z.input<typeof Input>;

/** Removes a key of root, the main user or a user; an unknown user or key is a 404. */
export async function deleteKey(ctx: Ctx, input: DeleteKeyInput): Promise<void> {
  const { username, public_key: key } = parseWith(Input, input);
  await ctx.store.userdata.update((data) => removeKey(keyHolderOf(data, username), key));
}

export default async function deleteKeyEndpoint(request: Request, ctx: Ctx): Promise<Response> {
  const { username } = parseWith(params, ctx.params);
  const { public_key } = await parseBody(request, body);
  await deleteKey(ctx, { username, public_key });
  return json({ message: 'SSH key deleted' });
}
