// Every answer a function gives in its unit tests must be a status its `responses` export documents.
import type { FunctionHandler } from '../../kit/context.js';
import { loadRoutes } from '../../runtime/load-routes.js';
import { type LoadedRoute } from '../../kit/context.js';

let loaded: Promise<LoadedRoute[]> | undefined;

/** The route whose module exports `handler`, or undefined for a function no route names. */
export async function routeOfHandler(handler: FunctionHandler): Promise<LoadedRoute | undefined> {
  loaded ??= loadRoutes();
  return (await loaded).find((route) => route.module.default === handler);
}

/** Throws when a routed function answered with a status its `responses` export leaves out. */
export async function expectDocumentedStatus(handler: FunctionHandler, status: number): Promise<void> {
  const route = await routeOfHandler(handler);
  if (route === undefined) return;
  const documented = Object.keys(route.module.responses ?? {}).map(Number);
  if (!documented.includes(status)) {
    throw new Error(
      `${route.method} ${route.path} answered ${status}, which ${route.function} does not document in its responses export (${documented.join(', ') || 'none'})`,
    );
  }
}
