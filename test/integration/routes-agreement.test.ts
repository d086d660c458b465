import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../../runtime/openapi.js';
import type { DescribedRoute } from '../../kit/context.js';
import { loadDescribedRoutes } from '../../runtime/load-routes.js';
import { concretePaths } from '../../runtime/route-paths.js';
import { HTTP_METHODS } from '../../kit/routes.js';
import { OPENAPI_FILE } from '../../scripts/api-docs-files.js';
import { useServerProcess } from '../helpers/setup.js';

const { server } = useServerProcess({ prepare: () => ({ ENABLE_SWAGGER: '1' }) });
let served: OpenApiDocument;
// routes.json's routes and the GraphQL transport's, as the server mounts them.
const routes: DescribedRoute[] = await loadDescribedRoutes();

beforeAll(async () => {
  served = (await (await server.fetch('/api/swagger.json')).json()) as OpenApiDocument;
});

/** A request path for a route: a closed parameter at its first value, every open one filled with a harmless sample. */
function concretePath(route: DescribedRoute): string {
  return (concretePaths(route)[0]?.path ?? route.path).replace(/\{\w+\}/g, 'sample');
}

describe('routes.json, the router and the OpenAPI document agree', () => {
  it('the served document has exactly the operations of routes.json, each with its auth flag', () => {
    const documented = Object.entries(served.paths).flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, operation]) => `${method.toUpperCase()} ${path} ${operation.security.length === 0 ? 'public' : 'token'}`),
    );
    const declared = routes.map((route) => `${route.method} ${route.path} ${route.public ? 'public' : 'token'}`);
    expect(documented.sort()).toEqual(declared.sort());
  });

  it('the router wants a token on exactly the non-public routes, and answers what the document lists', async () => {
    for (const route of routes) {
      const response = await server.fetch(concretePath(route), { method: route.method });
      const text = await response.text();
      const where = `${route.method} ${route.path}`;
      if (route.public) {
        expect(response.status, where).not.toBe(401);
      } else {
        expect(response.status, where).toBe(401);
        expect(JSON.parse(text), where).toEqual({ error: 'Missing Authorization header' });
      }
      expect(Object.keys(served.paths[route.path]?.[route.method.toLowerCase()]?.responses ?? {}), where).toContain(String(response.status));
    }
  });

  it('the router answers 405 with the routes.json methods of a path for any other method', async () => {
    const methodsByPath = new Map<string, string[]>();
    // HEAD with each GET route that changes nothing.
    for (const route of routes) {
      // A transport's route (no function file) answers its own methods: GraphQL over HTTP takes GET and POST only.
      const methods = route.method === 'GET' && !route.mutates && route.function !== undefined ? [route.method, 'HEAD'] : [route.method];
      const path = concretePath(route);
      methodsByPath.set(path, [...(methodsByPath.get(path) ?? []), ...methods]);
    }
    for (const [path, methods] of methodsByPath) {
      const other = HTTP_METHODS.find((method) => !methods.includes(method));
      if (other === undefined) continue;
      const response = await server.fetch(path, { method: other });
      expect(response.status, `${other} ${path}`).toBe(405);
      expect(response.headers.get('allow')?.split(', ').sort(), path).toEqual([...methods].sort());
      await response.body?.cancel();
    }
  });

  it('the compiled server serves the committed openapi.json', () => {
    expect(served).toEqual(JSON.parse(fs.readFileSync(OPENAPI_FILE, 'utf8')));
  });
});
