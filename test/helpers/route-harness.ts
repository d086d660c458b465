// The whole request pipeline (createApp from routes.json, guards included) in-process on a temporary root, with a fake runner.
import { createApp, type AppDependencies, type ServerContext } from '../../runtime/app.js';
import { silentLogger } from '../../runtime/logger.js';
import { loadRoutes, type LoadedRoute } from '../../runtime/routes.js';
import type { CommandRunner } from '../../runtime/system.js';
import { createStore } from '../../store/store.js';
import { fakeRunner } from './function-call.js';
import { withTestShorthands, type TestRequestOptions } from './request-shorthands.js';
import type { TempRoot } from './temp-root.js';

let routesOnce: Promise<LoadedRoute[]> | undefined;

/** Every route of routes.json with its function module, imported once per test file. */
export function allRoutes(): Promise<LoadedRoute[]> {
  routesOnce ??= loadRoutes();
  return routesOnce;
}

export interface InProcessOptions extends Partial<Omit<AppDependencies, 'store' | 'system'>> {
  system?: CommandRunner;
}

export interface SendOptions extends TestRequestOptions {
  /** The socket peer the server would see (loopback lets X-Forwarded-For through). */
  peer?: string;
}

export interface InProcessApp {
  fetch(request: Request, server?: ServerContext): Promise<Response>;
  send(method: string, path: string, options?: SendOptions): Promise<Response>;
}

export async function makeInProcessApp(temp: TempRoot, options: InProcessOptions = {}): Promise<InProcessApp> {
  const app = createApp({
    store: createStore(temp.root, silentLogger),
    log: silentLogger,
    settings: { swaggerFromEnv: false },
    routes: options.routes ?? (await allRoutes()),
    ...options,
    system: options.system ?? fakeRunner(),
  });
  return {
    fetch: app.fetch,
    send(method, path, send = {}) {
      const request = new Request(`http://127.0.0.1${path}`, { method, ...withTestShorthands(send) });
      return app.fetch(request, peerContext(send.peer));
    },
  };
}

/** What @whatwg-node/server would pass for a connection from `peer`. */
export function peerContext(peer: string | undefined): ServerContext | undefined {
  return peer === undefined ? undefined : ({ req: { socket: { remoteAddress: peer } } } as unknown as ServerContext);
}
