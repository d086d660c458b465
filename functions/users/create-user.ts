// POST /users {username, password}: adds a user with a SHA-512 crypt password hash.
import { z } from 'zod';
import { hashPassword } from '../../domain/password-hash.js';
import { PasswordSchema } from '../../domain/password-rules.js';
import { isTakenUsername, mutableUserRecords } from '../../domain/user-records.js';
import { MAX_USERNAME_LENGTH, usernameProblem, type UsernameProblem } from '../../domain/username.js';
import type { Ctx } from '../../kit/context.js';
import { HttpError, badRequest, conflict } from '../../core/errors.js';
import { json } from '../../kit/respond.js';
import { ErrorBody, MessageBody } from '../../kit/response-schemas.js';
import { parseBody, parseWith } from '../../kit/validate.js';

export const body = z.object({
  username: z.string(),
  password: PasswordSchema,
});

export const responses = {
  201: { description: 'User created', schema: z.object({ result: z.literal(0), username: z.string() }) },
  400: { description: 'Missing or mistyped field, or a username that is not a valid Unix name', schema: ErrorBody },
  409: { description: 'Forbidden username ({"message"}) or one that already exists ({"error"})', schema: z.union([MessageBody, ErrorBody]) },
};

const REFUSALS: Record<UsernameProblem, () => HttpError> = {
  forbidden: () => conflict({ message: 'Username is forbidden' }),
  pattern: () => badRequest('Username must be lowercase letters, digits or _, not start with a digit, and be 2 characters or more', 'username'),
  length: () => badRequest(`Username must be at most ${MAX_USERNAME_LENGTH} characters long`, 'username'),
};

export type CreateUserInput = z.input<typeof body>;

/** Adds a user to users[] with the hash of its password. */
export async function createUser(ctx: Ctx, input: CreateUserInput): Promise<{ username: string }> {
  const { username, password } = parseWith(body, input);
  const problem = usernameProblem(username);
  if (problem !== null) throw REFUSALS[problem]();
  // Hashed before the locked write: mutations are synchronous and should stay short.
  const hashedPassword = hashPassword(password);
  await ctx.store.userdata.update((data) => {
    if (isTakenUsername(data, username)) throw conflict({ error: 'User already exists' });
    mutableUserRecords(data).push({ username, hashedPassword });
  });
  return { username };
}

export default async function createUserEndpoint(request: Request, ctx: Ctx): Promise<Response> {
  const { username } = await createUser(ctx, await parseBody(request, body));
  return json({ result: 0, username }, 201);
}
