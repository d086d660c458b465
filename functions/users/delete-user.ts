// DELETE /users/{username}: removes a user of users[] (never the main user).
import { z } from 'zod';
import { isMainUser, mutableUserRecords, userNotFound } from '../../domain/user-records.js';
import { UsernamePathParams } from '../../domain/username.js';
import type { Ctx } from '../../kit/context.js';
import { badRequest } from '../../core/errors.js';
import { json } from '../../kit/respond.js';
import { ErrorBody } from '../../kit/response-schemas.js';
import { parseWith } from '../../kit/validate.js';

export const params = UsernamePathParams;

export const responses = {
  200: { description: 'User deleted', schema: z.object({ result: z.literal(0), username: z.string() }) },
  400: { description: 'The main user, or a username no account can have', schema: ErrorBody },
  404: { description: 'No such user', schema: ErrorBody },
};

export type DeleteUserInput = z.input<typeof params>;

/** Removes a user of users[]; the main user is a 400, anyone else a 404. */
export async function deleteUser(ctx: Ctx, input: DeleteUserInput): Promise<{ username: string }> {
  const { username } = parseWith(params, input);
  await ctx.store.userdata.update((data) => {
    if (isMainUser(data, username)) throw badRequest('The main user cannot be deleted', 'username');
    const records = mutableUserRecords(data);
    const index = records.findIndex((record) => record?.username === username);
    if (index === -1) throw userNotFound();
    records.splice(index, 1);
  });
  return { username };
}

export default async function deleteUserEndpoint(_request: Request, ctx: Ctx): Promise<Response> {
  const { username } = await deleteUser(ctx, parseWith(params, ctx.params));
  return json({ result: 0, username });
}
