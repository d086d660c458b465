// Each endpoint file of routes.json exports its operation beside its REST adapter, named as STYLE.md says.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../kit/project-files.js';
import { readRouteDefinitions } from '../../../kit/routes.js';

/** Files that only answer pages or documents: there is no operation a transport could share. */
const WITHOUT_OPERATION = new Set(['functions/api/docs-page.ts', 'functions/api/docs-asset.ts', 'functions/api/swagger-json.ts']);

const files = [...new Set(readRouteDefinitions().map((route) => route.function))].filter(
  (file) => file.startsWith('functions/') && !WITHOUT_OPERATION.has(file),
);

async function moduleOf(file: string): Promise<Record<string, unknown>> {
  return (await import(pathToFileURL(path.join(PROJECT_ROOT, file)).href)) as Record<string, unknown>;
}

describe('endpoint operations', () => {
  it('checks the endpoints of routes.json', () => {
    expect(files.length).toBeGreaterThan(30);
  });

  it.each(files)('%s: the default export is <operation>Endpoint, and <operation> is exported beside it', async (file) => {
    const module = await moduleOf(file);
    const adapter = module.default as { name: string };
    expect(adapter.name).toMatch(/^[a-z][A-Za-z]+Endpoint$/);
    const operation = adapter.name.slice(0, -'Endpoint'.length);
    expect(typeof module[operation], `${file} exports ${operation}`).toBe('function');
  });
});
