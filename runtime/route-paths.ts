// The paths a route answers at: a path parameter whose `params` schema is a z.enum is a closed set, one literal path per value.
import { z } from 'zod';
import type { DescribedRoute } from '../kit/context.js';
import { pathParameterNames } from '../kit/routes.js';

/** A path the router serves for a route, and the parameters that path fixes. */
export interface ConcretePath {
  /** Literal where the route's parameters are closed; open ones stay `{name}`. */
  path: string;
  /** The closed parameters' values at this path (`ctx.params` gets them as they are). */
  fixed: Record<string, string>;
}

// A value becomes a path segment as it is: nothing that would need encoding or could end the segment.
const SEGMENT = /^[A-Za-z0-9_.~-]+$/;

/** The values a path parameter may take when the route's `params` schema makes it an enum; undefined for an open one. */
export function closedValues(route: DescribedRoute, name: string): readonly string[] | undefined {
  const params = route.module.params;
  if (!(params instanceof z.ZodObject)) return undefined;
  const schema = params.shape[name];
  if (!(schema instanceof z.ZodEnum)) return undefined;
  const values = schema.options.map(String);
  const unfit = values.find((value) => !SEGMENT.test(value));
  if (unfit !== undefined) throw new Error(`${route.function}: {${name}} value ${JSON.stringify(unfit)} cannot be a path segment as it is`);
  return values;
}

/** Whether any path parameter of the route is open (a value from the client, percent-decoded by the runtime). */
export function hasOpenParameter(route: DescribedRoute): boolean {
  return pathParameterNames(route.path).some((name) => closedValues(route, name) === undefined);
}

/** Whether any path parameter of the route is closed (another value is a path that does not exist: 404). */
export function hasClosedParameter(route: DescribedRoute): boolean {
  return pathParameterNames(route.path).some((name) => closedValues(route, name) !== undefined);
}

/**
 * `/services/{service}/enable` whose `service` is `z.enum(['gitea', 'ocserv'])` → `/services/gitea/enable`
 * and `/services/ocserv/enable`. The router registers these literal paths, so another value is no
 * route at all (404 before any token check, as for any unknown path) and a literal path beside
 * them (`/services/ssh/enable`) is never shadowed.
 */
export function concretePaths(route: DescribedRoute): ConcretePath[] {
  let paths: ConcretePath[] = [{ path: route.path, fixed: {} }];
  for (const name of pathParameterNames(route.path)) {
    const values = closedValues(route, name);
    if (values === undefined) continue;
    paths = paths.flatMap(({ path, fixed }) => values.map((value) => ({ path: path.replace(`{${name}}`, value), fixed: { ...fixed, [name]: value } })));
  }
  return paths;
}
