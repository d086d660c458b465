// PUT /services/restic/backblaze/config {accountId, accountKey, bucket}: new B2 account; the repository is re-initialised.
import { z } from 'zod';
import { BackblazeAccountSchema, type BackblazeAccount } from '../../backups/backblaze-account.js';
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';
import { ErrorBody } from '../../kit/response-schemas.js';
import { parseBody } from '../../kit/validate.js';

export const body = BackblazeAccountSchema;

export const responses = {
  200: { description: 'New Backblaze settings saved', schema: z.string() },
  400: { description: 'A field is missing or not a valid Backblaze value', schema: ErrorBody },
};

/** The operation: the account is stored and the repository in its bucket is initialised again, in the background. */
export function setBackblazeConfig(ctx: Ctx, account: BackblazeAccount): Promise<void> {
  return ctx.backups.saveBackblazeAccount(account);
}

export default async function setBackblazeConfigEndpoint(request: Request, ctx: Ctx): Promise<Response> {
  await setBackblazeConfig(ctx, await parseBody(request, body));
  return json('New Backblaze settings saved');
}
