// PUT /services/restic/backblaze/config {accountId, accountKey, bucket}: new B2 account; the repository is re-initialised.
import { z } from 'zod';
import { BackblazeAccountSchema } from '../../backups/backblaze-account.js';
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';
import { ErrorBody } from '../../kit/response-schemas.js';
import { parseBody } from '../../kit/validate.js';

export const body = BackblazeAccountSchema;

export const responses = {
  200: { description: 'New Backblaze settings saved', schema: z.string() },
  400: { description: 'A field is missing or not a valid Backblaze value', schema: ErrorBody },
};

export default async function setBackblazeConfig(request: Request, ctx: Ctx): Promise<Response> {
  const account = await parseBody(request, body);
  await ctx.backups.saveBackblazeAccount(account);
  return json('New Backblaze settings saved');
}
