// PUT /users/{username} {password}: replaces the password of a user or of the main user (API 1.3).
import { z } from 'zod';
import { hashPassword } from '../../domain/password-hash.js';
import { PasswordSchema } from '../../domain/password-rules.js';
import { setPasswordHash } from '../../domain/user-password.js';
import type { Ctx } from '../../kit/context.js';
import { notFound } from '../../core/errors.js';
import { json } from '../../kit/respond.js';
import { ErrorBody } from '../../kit/response-schemas.js';
import { parseBody, parseWith } from '../../kit/validate.js';

export const params = z.object({ username: z.string().min(1) });

export const body = z.object({ password: PasswordSchema });

export const responses = {
  200: { description: 'Password changed', schema: z.object({ result: z.literal(0), username: z.string() }) },
  400: { description: 'Missing, empty, too long or non-string password', schema: ErrorBody },
  404: { description: 'No user has that name', schema: ErrorBody },
};

const Input = z.object({ ...params.shape, ...body.shape });
export type ChangePasswordInput = z.input<typeof Input>;

/** Replaces the password hash of the main user or of a user of users[]; anyone else is a 404. */
export async function changePassword(ctx: Ctx, input: ChangePasswordInput): Promise<{ username: string }> {
  const { username, password } = parseWith(Input, input);
  // Hashing takes a few milliseconds of CPU: done before the lock, so the lock is held only to swap the hash.
  const hashed = hashPassword(password);
  await ctx.store.userdata.update((userdata) => {
    if (!setPasswordHash(userdata, username, hashed)) throw notFound({ error: 'User not found' });
  });
  return { username };
}

export default async function changePasswordEndpoint(request: Request, ctx: Ctx): Promise<Response> {
  const { username } = parseWith(params, ctx.params);
  const { password } = await parseBody(request, body);
  await changePassword(ctx, { username, password });
  return json({ result: 0, username });
}
