// GET /services/mailserver/dkim: the domain's DKIM record file, base64-encoded byte for byte.
import { z } from 'zod';
import type { Ctx } from '../../kit/context.js';
import { notFound } from '../../core/errors.js';
import { json } from '../../kit/respond.js';
import { ErrorBody } from '../../kit/response-schemas.js';

export const responses = {
  200: { description: 'Base64 of var/dkim/<domain>.selector.txt', schema: z.string() },
  404: { description: 'No domain, or no DKIM record for it', schema: ErrorBody },
};

/** The bytes of the domain's DKIM record file; no domain or no record is a 404. */
export function getDkimKey(ctx: Ctx): Buffer {
  const domain = ctx.store.files.domain();
  const record = domain === undefined ? undefined : ctx.store.files.dkimRecord(domain);
  if (record === undefined) throw notFound({ error: 'DKIM key not found' });
  return record;
}

export default function getDkimKeyEndpoint(_request: Request, ctx: Ctx): Response {
  return json(getDkimKey(ctx).toString('base64'));
}
