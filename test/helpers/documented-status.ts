// Every answer a function gives in its unit tests must be a status its `responses` export documents.
import type { FunctionHandler } from '../../kit/context.js';
import { loadRoutes } from '../../runtime/load-routes.js';
import { type LoadedRoute } from '../../kit/context.js';
import { readRouteDefinitions, type RouteDefinition } from '../../kit/routes.js';

let loaded: Promise<LoadedRoute[]> | undefined;
let definitions: RouteDefinition[] | undefined;

/** The definitions the router could choose for this method and path (a `{name}` matches one segment). */
function routesFor(method: string, pathname: string): RouteDefinition[] {
  definitions ??= readRouteDefinitions();
  return definitions.filter((definition) => {
    const segments = definition.path.split('/').map((segment) => (/^\{\w+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&')));
    return definition.method === method && new RegExp(`^${segments.join('/')}$`).test(pathname);
  });
}

/**
 * The route whose module exports `handler`, or undefined for a function no route names. Given the
 * request, only the modules of the routes its method and path match are imported: importing every
 * function (GraphQL's with them) would make each unit test file wait for all of them.
 */
export async function routeOfHandler(handler: FunctionHandler, request?: Request): Promise<LoadedRoute | undefined> {
  if (request !== undefined) {
    const candidates = await loadRoutes(routesFor(request.method, new URL(request.url).pathname));
    const route = candidates.find((candidate) => candidate.module.default === handler);
    if (route !== undefined) return route;
  }
  loaded ??= loadRoutes();
  return (await loaded).find((route) => route.module.default === handler);
}

/** Throws when a routed function answered with a status its `responses` export leaves out. */
export async function expectDocumentedStatus(handler: FunctionHandler, status: number, request?: Request): Promise<void> {
  const route = await routeOfHandler(handler, request);
  if (route === undefined) return;
  const documented = Object.keys(route.module.responses ?? {}).map(Number);
  if (!documented.includes(status)) {
    throw new Error(
      `${route.method} ${route.path} answered ${status}, which ${route.function} does not document in its responses export (${documented.join(', ') || 'none'})`,
    );
  }
}
