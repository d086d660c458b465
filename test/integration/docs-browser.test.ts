// Drives Debian's chromium (installed by .ci/run) through the docs page of the real server.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, UI_TIMEOUT_MS } from '../helpers/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationId } from '../../runtime/openapi.js';
import { PROJECT_ROOT } from '../../kit/project-files.js';
import { readRouteDefinitions, type RouteDefinition } from '../../kit/routes.js';
import { loadDescribedRoutes } from '../../runtime/load-routes.js';
import { PRIMARY_TOKEN } from '../helpers/function-call.js';
import { useServerProcess } from '../helpers/setup.js';

const SCREENSHOT = path.join(PROJECT_ROOT, 'test-output', 'docs-browser.png');

const routes = readRouteDefinitions();
/** GET /users once that route exists; until then another authenticated GET. */
const target: RouteDefinition = (routes.find((route) => route.method === 'GET' && route.path === '/users')
  ?? routes.find((route) => route.method === 'GET' && route.path === '/auth/tokens')) as RouteDefinition;

const { server } = useServerProcess({ prepare: () => ({ ENABLE_SWAGGER: '1' }) });
let browser: Browser;
let page: Page;
const requestedUrls: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  page.on('request', (request) => requestedUrls.push(request.url()));
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('GET /api/docs in a browser', () => {
  it('lists every route of routes.json and of the GraphQL transport', async () => {
    const described = await loadDescribedRoutes();
    await page.goto(`${server.url}/api/docs`);
    await page.waitForFunction((count) => document.querySelectorAll('.opblock').length >= count, described.length);
    const listed = await page.$$eval('.opblock', (blocks) =>
      blocks.map((block) => `${block.querySelector('.opblock-summary-method')?.textContent} ${block.querySelector('.opblock-summary-path')?.getAttribute('data-path')}`),
    );
    expect(listed.sort()).toEqual(described.map((route) => `${route.method} ${route.path}`).sort());
  }, 120_000);

  it(`authorises with a token and executes ${target.method} ${target.path} from the page`, async () => {
    await page.click('.auth-wrapper .authorize');
    await page.fill('.modal-ux #auth-bearer-value', PRIMARY_TOKEN);
    await page.click('.modal-ux .auth-btn-wrapper .authorize');
    await page.click('.modal-ux .btn-done');

    const block = `#operations-${target.tag}-${operationId(target.method, target.path)}`;
    await page.click(`${block} .opblock-summary-control`);
    await page.click(`${block} .try-out__btn`);
    const sent = page.waitForRequest((request) => new URL(request.url()).pathname === target.path);
    await page.click(`${block} .execute`);
    expect((await sent).headers().authorization).toBe(`Bearer ${PRIMARY_TOKEN}`);

    const status = page.locator(`${block} .live-responses-table .response .response-col_status`);
    await expect.poll(() => status.textContent(), { timeout: UI_TIMEOUT_MS }).toBe('200');
    const shown = await page.locator(`${block} .live-responses-table .highlight-code code`).first().textContent();
    const direct = await server.fetch(target.path, { token: PRIMARY_TOKEN });
    expect(JSON.parse(shown ?? '')).toEqual(await direct.json());

    await page.locator(block).scrollIntoViewIfNeeded();
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(fs.statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
  }, 120_000);

  it('loaded nothing from outside the server and logged no error (content policy included)', () => {
    expect(requestedUrls.length).toBeGreaterThan(0);
    expect(requestedUrls.filter((url) => !url.startsWith(`${server.url}/`))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
