// Reads routes.json, the single index of the API, and the path notation of its routes.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from './project-files.js';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;

const RouteSchema = z.object({
  method: z.enum(HTTP_METHODS),
  path: z.string().regex(/^\/[A-Za-z0-9_\-./{}]*$/),
  function: z.string().regex(/^functions\/[A-Za-z0-9_\-/]+\.ts$/),
  public: z.boolean(),
  /**
   * The route changes the server (whatever its HTTP method: GET /system/reboot does): each request
   * is written to the audit log.
   */
  mutates: z.boolean(),
  summary: z.string().min(1),
  tag: z.string().min(1),
  /**
   * The route's own request time limit, when the default (30 s, then 503) does not fit: the 1.2
   * rebuild routes wait for `systemctl start` as 1.2 did, which returns when the rebuild is done.
   */
  timeLimitSeconds: z.number().int().positive().max(24 * 3600).optional(),
  /**
   * A public route that checks a secret (a mnemonic) in its body: a wrong guess answers 404 and is
   * counted by the brute-force limiter: each request is charged as a guess before the function
   * runs (429 once a client has failed too often), and given back when it was right
   * (runtime/request-guard.ts).
   */
  login: z.literal(true).optional(),
  /**
   * The body is an HTML form (application/x-www-form-urlencoded) posted by a page of ours, not
   * JSON (kit/body.ts readFormBody). The function must refuse forms posted from other sites.
   */
  formBody: z.literal(true).optional(),
}).refine((route) => route.public || route.login === undefined, {
  message: 'login is for public routes: the runtime checks the token of the others',
});

const RoutesFileSchema = z.object({ routes: z.array(RouteSchema) });

export type RouteDefinition = z.infer<typeof RouteSchema>;

export const ROUTES_FILE = path.join(PROJECT_ROOT, 'routes.json');

export function readRouteDefinitions(file = ROUTES_FILE): RouteDefinition[] {
  const routes = RoutesFileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8'))).routes;
  const seen = new Set<string>();
  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    if (seen.has(key)) throw new Error(`routes.json declares ${key} twice`);
    seen.add(key);
  }
  return routes;
}

const PATH_PARAMETER = /\{(\w+)\}/g;

/** `/users/{username}` → `/users/:username`, the router's notation. */
export function toRouterPath(openApiPath: string): string {
  return openApiPath.replace(PATH_PARAMETER, ':$1');
}

/** `/services/ssh/keys/{username}` → `['username']`. */
export function pathParameterNames(openApiPath: string): string[] {
  return [...openApiPath.matchAll(PATH_PARAMETER)].map((match) => match[1] as string);
}
