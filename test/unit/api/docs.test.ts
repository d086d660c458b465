import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import getDocsAsset from '../../../functions/api/docs-asset.js';
import getDocsPage, { DOCS_PAGE_POLICY } from '../../../functions/api/docs-page.js';
import getSwaggerJson from '../../../functions/api/swagger-json.js';
import type { Ctx } from '../../../kit/context.js';
import { DOCS_ASSET_NAMES } from '../../../kit/docs-assets.js';
import { buildOpenApiDocument, openApiDocument } from '../../../runtime/openapi.js';
import { loadDescribedRoutes } from '../../../runtime/load-routes.js';
import { type DescribedRoute } from '../../../kit/context.js';
import { call, jsonRequest, makeCtx } from '../../helpers/function-call.js';
import { useTempRoot } from '../../helpers/setup.js';

let routes: DescribedRoute[];
const temp = useTempRoot();
beforeAll(async () => {
  routes = await loadDescribedRoutes();
});

function ctx(swaggerFromEnv: boolean, extra: Partial<Ctx> = {}): Ctx {
  return makeCtx(temp, { caller: null, apiDocument: () => openApiDocument(routes), settings: { swaggerFromEnv }, ...extra });
}

function setUserdataSwitch(value: unknown): void {
  const userdata = temp.readUserdata();
  userdata.api = { ...userdata.api, enableSwagger: value };
  temp.writeUserdata(userdata);
}

describe('GET /api/swagger.json', () => {
  it('answers 404 like an unknown path when neither ENABLE_SWAGGER nor api.enableSwagger is on', async () => {
    const { status, body } = await call(getSwaggerJson, jsonRequest('GET', '/api/swagger.json'), ctx(false));
    expect(status).toBe(404);
    expect(body).toEqual({ error: 'Not found' });
  });

  it('serves the OpenAPI document of the loaded routes when ENABLE_SWAGGER=1', async () => {
    const { status, body, response } = await call(getSwaggerJson, jsonRequest('GET', '/api/swagger.json'), ctx(true));
    expect(status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(body).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument(routes))));
  });

  it('follows api.enableSwagger in userdata.json as the file is now', async () => {
    setUserdataSwitch(true);
    expect((await call(getSwaggerJson, jsonRequest('GET', '/api/swagger.json'), ctx(false))).status).toBe(200);
    setUserdataSwitch(false);
    expect((await call(getSwaggerJson, jsonRequest('GET', '/api/swagger.json'), ctx(false))).status).toBe(404);
  });

  it('takes only the boolean true in userdata as on', async () => {
    setUserdataSwitch('true');
    expect((await call(getSwaggerJson, jsonRequest('GET', '/api/swagger.json'), ctx(false))).status).toBe(404);
  });

  it('stays off, rather than failing, when userdata.json is unreadable', async () => {
    fs.rmSync(temp.paths.userdata);
    expect((await call(getSwaggerJson, jsonRequest('GET', '/api/swagger.json'), ctx(false))).status).toBe(404);
  });
});

describe('GET /api/docs', () => {
  it('answers 404 when docs are off', async () => {
    expect((await call(getDocsPage, jsonRequest('GET', '/api/docs'), ctx(false))).status).toBe(404);
  });

  it('serves the Swagger UI page that loads only the docs assets, under a same-origin content policy', async () => {
    const response = await getDocsPage(jsonRequest('GET', '/api/docs'), ctx(true));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(DOCS_PAGE_POLICY);
    expect(DOCS_PAGE_POLICY).toContain("script-src 'self'");
    const html = await response.text();
    const loaded = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(loaded.filter((url) => url !== 'data:,').sort()).toEqual(DOCS_ASSET_NAMES.map((name) => `/api/docs/${name}`).sort());
  });
});

describe('GET /api/docs/{asset}', () => {
  it('serves every file the page loads, with its content type', async () => {
    for (const asset of DOCS_ASSET_NAMES) {
      const response = await getDocsAsset(jsonRequest('GET', `/api/docs/${asset}`), ctx(true, { params: { asset } }));
      expect(response.status, asset).toBe(200);
      expect(response.headers.get('content-type'), asset).toMatch(asset.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
      expect((await response.text()).length, asset).toBeGreaterThan(0);
    }
  });

  it('points the UI at /api/swagger.json and lets the page keep a bearer token', async () => {
    const response = await getDocsAsset(jsonRequest('GET', '/api/docs/swagger-init.js'), ctx(true, { params: { asset: 'swagger-init.js' } }));
    const script = await response.text();
    expect(script).toContain("url: '/api/swagger.json'");
    expect(script).toContain('persistAuthorization: true');
    expect(script).toContain('validatorUrl: null');
  });

  it('answers 404 for any name outside the list, traversal included', async () => {
    for (const asset of ['../package.json', '..%2Fpackage.json', 'index.html', 'swagger-ui.js.map', 'package.json', '', 'SWAGGER-UI.CSS']) {
      const { status } = await call(getDocsAsset, jsonRequest('GET', '/api/docs/x'), ctx(true, { params: { asset } }));
      expect(status, asset).toBe(404);
    }
  });

  it('answers 404 when docs are off', async () => {
    const { status } = await call(getDocsAsset, jsonRequest('GET', '/api/docs/swagger-ui.css'), ctx(false, { params: { asset: 'swagger-ui.css' } }));
    expect(status).toBe(404);
  });
});
