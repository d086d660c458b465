// The generated documentation files, from the loaded routes: openapi.json and the endpoint list of docs/api.md.
import path from 'node:path';
import { buildOpenApiDocument } from '../runtime/openapi.js';
import { PROJECT_ROOT } from '../kit/project-files.js';
import type { DescribedRoute } from '../kit/context.js';

export const OPENAPI_FILE = path.join(PROJECT_ROOT, 'openapi.json');
export const API_LIST_FILE = path.join(PROJECT_ROOT, 'docs', 'api.md');
export const ENDPOINT_LIST_START = '<!-- api:start (generated from routes.json by `npm run openapi`; do not edit by hand) -->';
export const ENDPOINT_LIST_END = '<!-- api:end -->';

export function renderOpenApiFile(routes: readonly DescribedRoute[]): string {
  return `${JSON.stringify(buildOpenApiDocument(routes), null, 2)}\n`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** A Markdown table of every route, in routes.json order. */
export function renderEndpointList(routes: readonly DescribedRoute[]): string {
  const rows = routes.map(
    (route) => `| ${route.method} | \`${cell(route.path)}\` | ${route.public ? 'public' : 'token'} | ${cell(route.summary)} |`,
  );
  return ['| method | path | auth | summary |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** The API page with the text between the two markers replaced by `list`. */
export function withEndpointList(page: string, list: string): string {
  const start = page.indexOf(ENDPOINT_LIST_START);
  const end = page.indexOf(ENDPOINT_LIST_END);
  if (start === -1 || end === -1 || end < start) {
    throw new Error(`docs/api.md needs the markers ${ENDPOINT_LIST_START} and ${ENDPOINT_LIST_END}, in that order`);
  }
  return `${page.slice(0, start + ENDPOINT_LIST_START.length)}\n${list}\n${page.slice(end)}`;
}
