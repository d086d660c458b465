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

export default function getDkimKey(_request: Request, ctx: Ctx): Response {
  const domain = ctx.store.files.domain();
  const record = domain === undefined ? undefined : ctx.store.files.dkimRecord(domain);
  if (record === undefined) throw notFound({ error: 'DKIM key not found' });
  return json(record.toString('base64'));
}
