// GET /users[?withMainUser=true]: the usernames of users[], optionally the main user first.
import { z } from 'zod';
import { userRecords } from '../../domain/user-records.js';
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';
import { ErrorBody } from '../../kit/response-schemas.js';
import { parseQuery } from '../../kit/validate.js';

/** Booleans as the original's query parser took them. */
const QueryBoolean = z
  .string()
  .toLowerCase()
  .pipe(z.enum(['true', 'false', '1', '0']))
  .transform((value) => value === 'true' || value === '1');

export const query = z.object({ withMainUser: QueryBoolean.optional() });

export const responses = {
  200: { description: 'Usernames', schema: z.array(z.string()) },
  400: { description: 'withMainUser is not true/false', schema: ErrorBody },
};

/** The query as read: `withMainUser` already a boolean. */
export type ListUsersInput = z.output<typeof query>;

/** The usernames of users[], the main user first when asked for. */
export function listUsers(ctx: Ctx, { withMainUser }: ListUsersInput): string[] {
  const data = ctx.store.userdata.read();
  const names = userRecords(data).map((record) => record.username);
  if (withMainUser === true && typeof data.username === 'string') names.unshift(data.username);
  return names;
}

export default function listUsersEndpoint(request: Request, ctx: Ctx): Response {
  return json(listUsers(ctx, parseQuery(request, query)));
}
