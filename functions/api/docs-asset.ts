// GET /api/docs/{asset} (public, when docs are on): a file of the docs page, by name from a fixed list.
import { z } from 'zod';
import type { Ctx } from '../../kit/context.js';
import { DOCS_ASSET_NAMES, docsAsset } from '../../kit/docs-assets.js';
import { notFound } from '../../core/errors.js';
import { ErrorBody } from '../../kit/response-schemas.js';
import { assertDocsEnabled, fileResponse } from './docs-access.js';

export const params = z.object({ asset: z.enum(DOCS_ASSET_NAMES) });

export const responses = {
  200: { description: 'Stylesheet or script of the docs page', schema: z.string(), mediaTypes: ['text/css', 'text/javascript'] },
  404: { description: 'Not a file of the docs page, or docs are switched off', schema: ErrorBody },
};

export default function getDocsAsset(_request: Request, ctx: Ctx): Response {
  assertDocsEnabled(ctx);
  // The name only selects an entry of the table; it never becomes part of a path.
  const parsed = params.safeParse(ctx.params);
  if (!parsed.success) throw notFound();
  return fileResponse(docsAsset(parsed.data.asset), { 'cache-control': 'public, max-age=3600' });
}
