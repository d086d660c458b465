// Loads the function module each route of routes.json names: from the production bundle, or by import from the sources or dist/.
import { pathToFileURL } from 'node:url';
import type { DescribedRoute, FunctionModule, LoadedRoute } from '../kit/context.js';
import type { Transport } from '../kit/transport.js';
import { createGraphqlTransport } from '../graphql/graphql.js';
import { sourceModulePath } from '../kit/project-files.js';
import { readRouteDefinitions } from '../kit/routes.js';

/** Function modules by their routes.json path; the production bundle carries them all (scripts/bundle-server.ts). */
export type FunctionModules = Readonly<Record<string, unknown>>;

async function importFunction(sourcePath: string, bundled: FunctionModules | undefined): Promise<FunctionModule> {
  if (bundled === undefined) return (await import(/* @vite-ignore */ pathToFileURL(sourceModulePath(sourcePath)).href)) as FunctionModule;
  if (!(sourcePath in bundled)) throw new Error(`${sourcePath} is not in the server bundle; run npm run build`);
  return bundled[sourcePath] as FunctionModule;
}

/** Loads every function module once, at start-up: from the bundle when given one, else by import. */
export async function loadRoutes(definitions = readRouteDefinitions(), bundled?: FunctionModules): Promise<LoadedRoute[]> {
  return Promise.all(
    definitions.map(async (definition) => {
      const module = await importFunction(definition.function, bundled);
      if (typeof module.default !== 'function') {
        throw new Error(`${definition.function} has no default export function`);
      }
      return { ...definition, module };
    }),
  );
}

/** What the API's description lists: every route of routes.json, then those of the transports the shell mounts. */
export function describedRoutes(routes: readonly LoadedRoute[], transports: readonly Transport[]): DescribedRoute[] {
  return [...routes, ...transports.flatMap((transport) => transport.described)];
}

/** The described routes of this server as the composition root builds them (for the generated files and tests). */
export async function loadDescribedRoutes(): Promise<DescribedRoute[]> {
  return describedRoutes(await loadRoutes(), [createGraphqlTransport()]);
}
