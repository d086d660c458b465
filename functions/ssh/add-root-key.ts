// PUT /services/ssh/key/send {public_key}: adds a key to root's authorized keys (ssh.rootKeys).
import { z } from 'zod';
import { addKey, keyHolderOf, ROOT_USERNAME } from '../../domain/ssh-key-holders.js';
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';
import { ErrorBody, StatusMessageBody } from '../../kit/response-schemas.js';
import { parseBody, parseWith } from '../../kit/validate.js';
import { NewPublicKeyBody } from './public-key-body.js';

export const body = NewPublicKeyBody;

export const responses = {
  201: { description: 'Key added', schema: StatusMessageBody },
  400: { description: 'Missing key, a type other than ssh-ed25519 / ssh-rsa, or not a single line', schema: ErrorBody },
  409: { description: 'Root already has this key', schema: ErrorBody },
};

export type AddRootKeyInput = z.input<typeof body>;

/** Appends a key to ssh.rootKeys; one there already is a 409. */
export async function addRootKey(ctx: Ctx, input: AddRootKeyInput): Promise<void> {
  const { public_key: key } = parseWith(body, input);
  await ctx.store.userdata.update((data) => addKey(keyHolderOf(data, ROOT_USERNAME), key));
}

export default async function addRootKeyEndpoint(request: Request, ctx: Ctx): Promise<Response> {
  await addRootKey(ctx, await parseBody(request, body));
  return json({ status: 0, message: 'New SSH key successfully written' }, 201);
}
