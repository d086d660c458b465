// The files of the docs page: a fixed table of names, read from swagger-ui-dist and runtime/docs-ui once.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PROJECT_ROOT } from './project-files.js';

const pageFolder = path.join(PROJECT_ROOT, 'runtime', 'docs-ui');
// Looked up on the first request for the page, not at start-up: resolving a package walks the disk.
const swaggerUiFile = (name: string): string =>
  path.join(path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json')), name);

const JAVASCRIPT = 'text/javascript; charset=utf-8';

/** Every file the page may load; a request only ever picks a key of this table. */
const ASSETS = {
  'swagger-ui.css': { file: () => swaggerUiFile('swagger-ui.css'), contentType: 'text/css; charset=utf-8' },
  'swagger-ui-bundle.js': { file: () => swaggerUiFile('swagger-ui-bundle.js'), contentType: JAVASCRIPT },
  'swagger-init.js': { file: () => path.join(pageFolder, 'swagger-init.js'), contentType: JAVASCRIPT },
} as const;

export type DocsAssetName = keyof typeof ASSETS;
export const DOCS_ASSET_NAMES = Object.keys(ASSETS) as [DocsAssetName, ...DocsAssetName[]];

export interface DocsFile {
  body: string;
  contentType: string;
}

const cache = new Map<string, DocsFile>();

function readOnce(key: string, file: () => string, contentType: string): DocsFile {
  let loaded = cache.get(key);
  if (loaded === undefined) {
    loaded = { body: fs.readFileSync(file(), 'utf8'), contentType };
    cache.set(key, loaded);
  }
  return loaded;
}

export function docsAsset(name: DocsAssetName): DocsFile {
  const asset = ASSETS[name];
  return readOnce(name, asset.file, asset.contentType);
}

export function docsPage(): DocsFile {
  return readOnce('index.html', () => path.join(pageFolder, 'index.html'), 'text/html; charset=utf-8');
}
