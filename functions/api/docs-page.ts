// GET /api/docs (public, when docs are on): the Swagger UI page for /api/swagger.json.
import { z } from 'zod';
import type { Ctx } from '../../kit/context.js';
import { docsPage } from '../../kit/docs-assets.js';
import { assertDocsEnabled, DOCS_OFF_RESPONSE, fileResponse } from './docs-access.js';

/** The page loads only its own files; Swagger UI styles elements inline and draws icons as data: URLs. */
export const DOCS_PAGE_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const responses = {
  200: { description: 'Swagger UI page', schema: z.string(), mediaTypes: ['text/html'] },
  ...DOCS_OFF_RESPONSE,
};

export default function getDocsPage(_request: Request, ctx: Ctx): Response {
  assertDocsEnabled(ctx);
  return fileResponse(docsPage(), { 'content-security-policy': DOCS_PAGE_POLICY });
}
