// What the docs routes share: the on/off switch (ENABLE_SWAGGER or userdata.json) and answering with a file of the page.
import type { DocsFile } from '../../kit/docs-assets.js';
import type { Ctx } from '../../kit/context.js';
import { notFound } from '../../core/errors.js';
import { ErrorBody } from '../../kit/response-schemas.js';

/** Switched off, the docs answer exactly like a path that does not exist. */
export const DOCS_OFF_RESPONSE = {
  404: { description: 'Docs are switched off (neither ENABLE_SWAGGER=1 nor api.enableSwagger)', schema: ErrorBody },
};

/** On when ENABLE_SWAGGER=1, or when userdata's api.enableSwagger is true as the file is now. */
export function docsEnabled(ctx: Ctx): boolean {
  if (ctx.settings.swaggerFromEnv) return true;
  try {
    return ctx.store.userdata.read().api?.enableSwagger === true;
  } catch {
    // An unreadable userdata.json cannot switch the docs on.
    return false;
  }
}

export function assertDocsEnabled(ctx: Ctx): void {
  if (!docsEnabled(ctx)) throw notFound();
}

export function fileResponse(file: DocsFile, headers: Record<string, string> = {}): Response {
  return new Response(file.body, { headers: { 'content-type': file.contentType, ...headers } });
}
