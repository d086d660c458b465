// GET /api/swagger.json (public, when docs are on): the OpenAPI 3.1 document of this server.
import { z } from 'zod';
import type { Ctx } from '../../kit/context.js';
import { json } from '../../kit/respond.js';
import { assertDocsEnabled, DOCS_OFF_RESPONSE } from './docs-access.js';

export const responses = {
  200: {
    description: 'OpenAPI 3.1 document',
    schema: z.looseObject({ openapi: z.string(), info: z.looseObject({ version: z.string() }), paths: z.record(z.string(), z.unknown()) }),
  },
  ...DOCS_OFF_RESPONSE,
};

export default function getSwaggerJson(_request: Request, ctx: Ctx): Response {
  assertDocsEnabled(ctx);
  return json(ctx.apiDocument());
}
