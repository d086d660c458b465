// `npm run openapi`: rewrites openapi.json and the endpoint list of docs/api.md after routes or schemas change.
import fs from 'node:fs';
import { loadDescribedRoutes } from '../runtime/load-routes.js';
import { OPENAPI_FILE, API_LIST_FILE, renderEndpointList, renderOpenApiFile, withEndpointList } from './api-docs-files.js';

function writeIfChanged(file: string, text: string): void {
  const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
  if (before === text) {
    process.stdout.write(`${file}: up to date\n`);
    return;
  }
  fs.writeFileSync(file, text);
  process.stdout.write(`${file}: written\n`);
}

const routes = await loadDescribedRoutes();
writeIfChanged(OPENAPI_FILE, renderOpenApiFile(routes));
writeIfChanged(API_LIST_FILE, withEndpointList(fs.readFileSync(API_LIST_FILE, 'utf8'), renderEndpointList(routes)));
