import fs from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { METHODS_WITH_BODY } from '../../../kit/body.js';
import type { FunctionModule } from '../../../kit/context.js';
import { BEARER_SCHEME, buildOpenApiDocument, openApiDocument, operationId, type OpenApiDocument } from '../../../runtime/openapi.js';
import { pathParameterNames } from '../../../kit/routes.js';
import { loadDescribedRoutes } from '../../../runtime/load-routes.js';
import { type DescribedRoute, type LoadedRoute } from '../../../kit/context.js';
import {
  OPENAPI_FILE,
  API_LIST_FILE,
  renderEndpointList,
  renderOpenApiFile,
  withEndpointList,
} from '../../../scripts/api-docs-files.js';

let routes: DescribedRoute[];
let document: OpenApiDocument;
beforeAll(async () => {
  routes = await loadDescribedRoutes();
  document = buildOpenApiDocument(routes);
});

function operationOf(route: { method: string; path: string }) {
  return document.paths[route.path]?.[route.method.toLowerCase()];
}

async function validate(candidate: unknown): Promise<{ valid: boolean; errors?: unknown }> {
  return new Validator().validate(candidate as Record<string, unknown>);
}

/** A route of a made-up module, to exercise the builder on schemas the real routes do not have yet. */
function syntheticRoute(path: string, module: Omit<FunctionModule, 'default'>, method: LoadedRoute['method'] = 'POST'): LoadedRoute {
  return { method, path, function: 'functions/x/y.ts', public: false, mutates: false, tag: 'test', summary: 'test', module: { default: () => new Response(), ...module } };
}

describe('OpenAPI document of routes.json', () => {
  it('validates against the OpenAPI 3.1 schema', async () => {
    const result = await validate(document);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
  });

  it('has one operation per route with its summary, tag and a unique operationId', () => {
    const ids = new Set<string>();
    for (const route of routes) {
      const operation = operationOf(route);
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(operation?.summary).toBe(route.summary);
      expect(operation?.tags).toEqual([route.tag]);
      ids.add(operation?.operationId ?? '');
    }
    expect(ids.size).toBe(routes.length);
    expect(document.tags.map((tag) => tag.name).sort()).toEqual([...new Set(routes.map((route) => route.tag))].sort());
  });

  it('documents no operation that routes.json does not declare', () => {
    const declared = new Set(routes.map((route) => `${route.method} ${route.path}`));
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual([...declared].sort());
  });

  it('asks for the bearer token on exactly the non-public routes', () => {
    expect(document.components.securitySchemes[BEARER_SCHEME]).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const route of routes) {
      expect(operationOf(route)?.security, `${route.method} ${route.path}`).toEqual(route.public ? [] : [{ [BEARER_SCHEME]: [] }]);
    }
  });

  it('describes a request body for exactly the functions that export a body schema', () => {
    for (const route of routes) {
      const requestBody = operationOf(route)?.requestBody;
      if (route.module.body === undefined) {
        expect(requestBody, `${route.method} ${route.path}`).toBeUndefined();
        continue;
      }
      const mediaType = route.formBody === true ? 'application/x-www-form-urlencoded' : 'application/json';
      const schema = requestBody?.content[mediaType]?.schema;
      expect(schema, `${route.method} ${route.path}`).toEqual(
        expect.objectContaining({ type: (z.toJSONSchema(route.module.body, { io: 'input' }) as { type: unknown }).type }),
      );
    }
  });

  it('lists the path parameters each path names, and the query parameters of a query schema', () => {
    for (const route of routes) {
      const parameters = operationOf(route)?.parameters ?? [];
      const inPath = parameters.filter((parameter) => parameter.in === 'path');
      expect(inPath.map((parameter) => parameter.name), `${route.method} ${route.path}`).toEqual(pathParameterNames(route.path));
      expect(inPath.every((parameter) => parameter.required)).toBe(true);
      const queryNames = parameters.filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name);
      const declared = route.module.query
        ? Object.keys(((z.toJSONSchema(route.module.query, { io: 'input' }) as { properties?: object }).properties ?? {}))
        : [];
      expect(queryNames.sort(), `${route.method} ${route.path}`).toEqual(declared.sort());
    }
  });

  it('documents every status of each function\'s responses export, plus the runtime\'s answers that its routes.json line implies', () => {
    for (const route of routes) {
      const documented = Object.keys(operationOf(route)?.responses ?? {}).map(Number);
      const own = Object.keys(route.module.responses ?? {}).map(Number);
      const expected = new Set(own);
      // A transport's route (no function file) reads its body itself and documents those answers as its own.
      if (route.function !== undefined && METHODS_WITH_BODY.has(route.method)) [400, 413].forEach((status) => expected.add(status));
      // A parameter with listed values (an enum) is a closed set: another value is no path (404); an open one is decoded (400).
      const inPath = (operationOf(route)?.parameters ?? []).filter((parameter) => parameter.in === 'path');
      if (inPath.some((parameter) => parameter.schema.enum === undefined)) expected.add(400);
      if (inPath.some((parameter) => parameter.schema.enum !== undefined)) expected.add(404);
      if (!route.public) [401, 429].forEach((status) => expected.add(status));
      if (route.login === true) expected.add(429);
      if (!route.public && route.method !== 'GET') [400, 422].forEach((status) => expected.add(status));
      expect(documented.sort(), `${route.method} ${route.path}`).toEqual([...expected].sort());
    }
  });

  it('offers the Idempotency-Key header on exactly the changes made with a token', () => {
    for (const route of routes) {
      const headers = (operationOf(route)?.parameters ?? []).filter((parameter) => parameter.in === 'header');
      const expected = !route.public && route.method !== 'GET' ? ['Idempotency-Key'] : [];
      expect(headers.map((parameter) => parameter.name), `${route.method} ${route.path}`).toEqual(expected);
      for (const header of headers) expect(header).toMatchObject({ required: false, schema: { type: 'string', maxLength: 255 } });
    }
  });

  it('names a shared error body once in components', () => {
    const withRef = JSON.stringify(document).match(/"#\/components\/schemas\/Error"/g) ?? [];
    expect(withRef.length).toBeGreaterThan(0);
    expect(document.components.schemas?.Error).toMatchObject({ type: 'object', required: ['error'] });
  });

  it('builds the document once for a set of loaded routes', () => {
    const first = openApiDocument(routes);
    expect(openApiDocument(routes)).toBe(first);
    expect(first).toEqual(document);
  });
});

describe('OpenAPI builder', () => {
  it('names operations after method and path', () => {
    expect(operationId('DELETE', '/users/{username}')).toBe('deleteUsersByUsername');
    expect(operationId('POST', '/auth/new_device/authorize')).toBe('postAuthNewDeviceAuthorize');
    expect(operationId('GET', '/api/swagger.json')).toBe('getApiSwaggerJson');
  });

  it('refuses two routes whose operationIds would clash', () => {
    expect(() => buildOpenApiDocument([syntheticRoute('/a_b', {}), syntheticRoute('/a-b', {})])).toThrow(/share operationId postAB/);
  });

  it('moves recursive and named definitions into components so references resolve', async () => {
    const Folder: z.ZodType = z.object({ name: z.string(), get children() { return z.array(Folder); } });
    const Snapshot = z.object({ id: z.string() }).meta({ id: 'TestSnapshot' });
    const built = buildOpenApiDocument([
      syntheticRoute('/tree', { body: Folder, responses: { 200: { description: 'ok', schema: z.object({ tree: Folder, latest: Snapshot }) } } }),
    ]);
    expect(await validate(built)).toMatchObject({ valid: true });
    const text = JSON.stringify(built);
    expect(text).not.toMatch(/"#\/\$defs|"\$ref":"#"/);
    for (const [, target] of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) {
      expect(built.components.schemas?.[target as string], target).toBeDefined();
    }
    expect(built.components.schemas?.TestSnapshot).toMatchObject({ properties: { id: { type: 'string' } } });
  });

  it('adds the runtime\'s 401, 429 and Idempotency-Key answers from the route\'s line, not from the module', () => {
    const route = (line: Partial<LoadedRoute>): LoadedRoute => ({ ...syntheticRoute('/x', { responses: { 200: { description: 'ok' } } }), ...line });
    const built = buildOpenApiDocument([
      route({ method: 'GET', path: '/private' }),
      route({ method: 'DELETE', path: '/private' }),
      route({ method: 'POST', path: '/open', public: true }),
      route({ method: 'POST', path: '/login', public: true, login: true }),
    ]);
    const statuses = (path: string, method: string): string[] => Object.keys(built.paths[path]?.[method]?.responses ?? {});
    expect(statuses('/private', 'get')).toEqual(['200', '401', '429']);
    expect(statuses('/private', 'delete')).toEqual(['200', '400', '401', '413', '422', '429']);
    expect(statuses('/open', 'post')).toEqual(['200', '400', '413']);
    expect(statuses('/login', 'post')).toEqual(['200', '400', '413', '429']);
    expect(built.paths['/private']?.delete?.parameters?.map((parameter) => parameter.name)).toEqual(['Idempotency-Key']);
    expect(built.paths['/private']?.get?.parameters).toBeUndefined();
    expect(built.paths['/open']?.post?.parameters).toBeUndefined();
  });

  it('documents a closed path parameter (an enum) with its values and the 404 of another value, not the 400 of decoding', () => {
    const built = buildOpenApiDocument([
      syntheticRoute('/things/{kind}/{name}', {
        params: z.object({ kind: z.enum(['red', 'blue']), name: z.string() }),
        responses: { 200: { description: 'ok' } },
      }, 'GET'),
      syntheticRoute('/kinds/{kind}', { params: z.object({ kind: z.enum(['red', 'blue']) }), responses: { 200: { description: 'ok' } } }, 'GET'),
    ]);
    const both = built.paths['/things/{kind}/{name}']?.get;
    expect(both?.parameters?.[0]).toEqual({ name: 'kind', in: 'path', required: true, schema: { type: 'string', enum: ['red', 'blue'] } });
    expect(Object.keys(both?.responses ?? {})).toEqual(['200', '400', '401', '404', '429']);
    expect(Object.keys(built.paths['/kinds/{kind}']?.get?.responses ?? {})).toEqual(['200', '401', '404', '429']);
  });

  it('makes a body optional when none of its fields is required, and reads query and path parameters', () => {
    const built = buildOpenApiDocument([
      syntheticRoute('/things/{name}', {
        body: z.object({ note: z.string().optional() }),
        params: z.object({ name: z.string().regex(/^[a-z]+$/).describe('Name of the thing') }),
        query: z.object({ verbose: z.enum(['true', 'false']).optional(), page: z.string() }),
      }, 'PUT'),
    ]);
    const operation = built.paths['/things/{name}']?.put;
    expect(operation?.requestBody?.required).toBe(false);
    expect(operation?.parameters).toEqual([
      { name: 'name', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z]+$' }, description: 'Name of the thing' },
      { name: 'verbose', in: 'query', required: false, schema: { type: 'string', enum: ['true', 'false'] } },
      { name: 'page', in: 'query', required: true, schema: { type: 'string' } },
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false }),
    ]);
  });
});

describe('generated files', () => {
  it('openapi.json is the document of the current routes (run `npm run openapi` after changing a route)', () => {
    expect(fs.readFileSync(OPENAPI_FILE, 'utf8')).toBe(renderOpenApiFile(routes));
  });

  it('the endpoint list of docs/api.md is that of routes.json (run `npm run openapi` after changing a route)', () => {
    const page = fs.readFileSync(API_LIST_FILE, 'utf8');
    expect(page).toBe(withEndpointList(page, renderEndpointList(routes)));
    for (const route of routes) expect(page).toContain(`| ${route.method} | \`${route.path}\` |`);
  });
});
