import { beforeAll, describe, expect, it } from 'vitest';
import getApiVersion from '../../../functions/api/version.js';
import { loadDescribedRoutes, loadRoutes } from '../../../runtime/load-routes.js';
import { type DescribedRoute } from '../../../kit/context.js';
import { expectDocumentedStatus, routeOfHandler } from '../../helpers/documented-status.js';

/**
 * Statuses the contract gives functions, plus those of the protections and 1.3 endpoints
 * (413 body limit, 422 reused idempotency key, 429 brute force, 503 time limit or a missing
 * system facility); anything else in a `responses` export is a mistake.
 */
const CONTRACT_STATUSES = new Set([200, 201, 400, 401, 404, 409, 413, 422, 429, 500, 503]);
/** GraphQL over HTTP adds its own: a mutation over GET (405), an Accept it cannot meet (406), a body not JSON (415). */
const GRAPHQL_STATUSES = new Set([405, 406, 415]);
const isGraphql = (route: DescribedRoute): boolean => route.path === '/graphql';

let routes: DescribedRoute[];
beforeAll(async () => {
  routes = await loadDescribedRoutes();
});

function statuses(route: DescribedRoute): number[] {
  return Object.keys(route.module.responses ?? {}).map(Number);
}

describe('responses exports of the functions of routes.json', () => {
  it('every function documents its answers, a success among them', () => {
    for (const route of routes) {
      expect(route.module.responses, route.function).toBeDefined();
      expect(statuses(route).some((status) => status >= 200 && status < 300), route.function).toBe(true);
    }
  });

  it('documents only statuses of the contract', () => {
    for (const route of routes) {
      for (const status of statuses(route)) {
        const allowed = CONTRACT_STATUSES.has(status) || (isGraphql(route) && GRAPHQL_STATUSES.has(status));
        expect(allowed, `${route.function}: ${status}`).toBe(true);
      }
    }
  });

  it('leaves the runtime\'s 401, 422 and 429 to the document (runtime/openapi.ts), but on a transport\'s routes, which answer them themselves', () => {
    for (const route of routes) {
      const own = route.function === undefined;
      expect(statuses(route).includes(401), `${route.method} ${route.path}`).toBe(own);
      expect(statuses(route).includes(422), `${route.method} ${route.path}`).toBe(false);
      expect(statuses(route).includes(429), `${route.method} ${route.path}`).toBe(own);
    }
  });

  it('functions with a body schema document the 400 of a bad body', () => {
    for (const route of routes.filter((candidate) => candidate.module.body !== undefined)) {
      expect(statuses(route), route.function).toContain(400);
    }
  });

  it('gives every response a description', () => {
    for (const route of routes) {
      for (const spec of Object.values(route.module.responses ?? {})) expect(spec.description, route.function).toMatch(/\S/);
    }
  });
});

describe('status check of unit tests (call helper)', () => {
  it('finds the route of every routed function', async () => {
    for (const route of await loadRoutes()) expect((await routeOfHandler(route.module.default))?.function).toBe(route.function);
  });

  it('fails a test whose function answers an undocumented status', async () => {
    await expect(expectDocumentedStatus(getApiVersion, 418)).rejects.toThrow(/GET \/api\/version answered 418/);
    await expect(expectDocumentedStatus(getApiVersion, 200)).resolves.toBeUndefined();
  });

  it('finds the route from the request the function was called with, and without it when the path is another', async () => {
    const sample = (path: string): string => path.replace(/\{\w+\}/g, 'sample');
    for (const route of await loadRoutes()) {
      const request = new Request(`http://127.0.0.1${sample(route.path)}`, { method: route.method });
      expect((await routeOfHandler(route.module.default, request))?.function, route.function).toBe(route.function);
    }
    const elsewhere = new Request('http://127.0.0.1/not/a/route', { method: 'GET' });
    expect((await routeOfHandler(getApiVersion, elsewhere))?.path).toBe('/api/version');
    await expect(expectDocumentedStatus(getApiVersion, 418, elsewhere)).rejects.toThrow(/GET \/api\/version answered 418/);
  });

  it('leaves functions no route names alone', async () => {
    await expect(expectDocumentedStatus(() => new Response(), 418)).resolves.toBeUndefined();
  });
});
