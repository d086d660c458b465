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

export default function listUsers(request: Request, ctx: Ctx): Response {
  const { withMainUser } = parseQuery(request, query);
  const data = ctx.store.userdata.read();
  const names = userRecords(data).map((record) => record.username);
  if (withMainUser === true && typeof data.username === 'string') names.unshift(data.username);
  return json(names);
}
