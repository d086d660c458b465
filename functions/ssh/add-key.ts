// POST /services/ssh/keys/{username} {public_key}: adds a key for the main user or a user (root has its own route).
import { z } from 'zod';
import { addKey, keyHolderOf, ROOT_USERNAME } from '../../domain/ssh-key-holders.js';
import { UsernamePathParams } from '../../domain/username.js';
import type { Ctx } from '../../kit/context.js';
import { badRequest } from '../../core/errors.js';
import { json } from '../../kit/respond.js';
import { ErrorBody, MessageBody } from '../../kit/response-schemas.js';
import { parseBody, parseWith } from '../../kit/validate.js';
import { NewPublicKeyBody } from './public-key-body.js';

export const params = UsernamePathParams;
export const body = NewPublicKeyBody;

export const responses = {
  201: { description: 'Key added', schema: MessageBody },
  400: { description: 'root (use /services/ssh/key/send), a missing or invalid key, or a username no account can have', schema: ErrorBody },
  404: { description: 'No such user', schema: ErrorBody },
  409: { description: 'The user already has this key', schema: ErrorBody },
};

const Input = z.object({ ...params.shape, ...body.shape });
export type AddUserKeyInput = z.input<typeof Input>;

/** root's keys have their own operation (add-root-key.ts), as their own route. */
function refuseRoot(username: string): void {
  if (username === ROOT_USERNAME) throw badRequest('Use /ssh/key/send to add root keys');
}

/** Appends a key to the main user's or a user's list; root is a 400, an unknown user a 404, a key there already a 409. */
export async function addUserKey(ctx: Ctx, input: AddUserKeyInput): Promise<void> {
  const { username, public_key: key } = parseWith(Input, input);
  refuseRoot(username);
  await ctx.store.userdata.update((data) => addKey(keyHolderOf(data, username), key));
}

export default async function addUserKeyEndpoint(request: Request, ctx: Ctx): Promise<Response> {
  const { username } = parseWith(params, ctx.params);
  refuseRoot(username);
  const { public_key } = await parseBody(request, body);
  await addUserKey(ctx, { username, public_key });
  return json({ message: 'New SSH key successfully written' }, 201);
}
