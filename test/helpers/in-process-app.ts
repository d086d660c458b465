// The whole request pipeline (createApp, guards included) on a temporary root, called in-process with Request objects.
import { createApp, type ServerContext } from '../../runtime/app.js';
import type { FunctionHandler, FunctionModule, Services } from '../../kit/context.js';
import type { GuardOptions } from '../../runtime/request-guard.js';
import { type RouteDefinition } from '../../kit/routes.js';
import { loadRoutes } from '../../runtime/load-routes.js';
import { type LoadedRoute } from '../../kit/context.js';
import { recordingLogger, type RecordingLogger } from './recording-logger.js';
import { headersAndBody, type TestRequestOptions } from './request-options.js';
import { testPipeline, testServices } from './services.js';
import type { TempRoot } from './temp-root.js';

let routesOnce: Promise<LoadedRoute[]> | undefined;

/** Every route of routes.json with its function module, imported once per test file. */
export function allRoutes(): Promise<LoadedRoute[]> {
  routesOnce ??= loadRoutes();
  return routesOnce;
}

export interface AppRequest extends TestRequestOptions {
  method?: string;
  /** The socket peer the server would see (loopback lets X-Forwarded-For through). */
  peer?: string;
}

export interface AppAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body (undefined when empty). */
  body: any;
}

/** Any service a test wants other than those of test/helpers/services.ts, and limits for the guard. */
export interface InProcessOptions extends Partial<Omit<Services, 'store'>> {
  guard?: GuardOptions;
}

export interface InProcessApp {
  /** Sends a request and reads the whole answer. */
  request(pathname: string, init?: AppRequest): Promise<AppAnswer>;
  /** Sends a request and returns the raw Response. */
  send(method: string, pathname: string, init?: AppRequest): Promise<Response>;
  fetch(request: Request, server?: ServerContext): Promise<Response>;
  /** What the app logged (unless `log` was given). */
  logger: RecordingLogger;
}

/** A route for runtime tests, with an inline function instead of a file. */
export function inlineRoute(
  definition: Pick<RouteDefinition, 'method' | 'path'> & { public?: boolean; mutates?: boolean },
  handler: FunctionHandler,
  extra: Omit<FunctionModule, 'default'> = {},
): LoadedRoute {
  return {
    method: definition.method,
    path: definition.path,
    public: definition.public ?? false,
    // A test route changes things when its method usually does, unless the test says otherwise.
    mutates: definition.mutates ?? definition.method !== 'GET',
    function: 'functions/test/inline.ts',
    summary: 'test route',
    tag: 'test',
    module: { default: handler, ...extra },
  };
}

/** What @whatwg-node/server would pass for a connection from `peer`. */
export function peerContext(peer: string | undefined): ServerContext | undefined {
  return peer === undefined ? undefined : ({ req: { socket: { remoteAddress: peer } } } as unknown as ServerContext);
}

/** Builds the app on `temp`; without `routes`, the real routes.json and its function files. */
export async function makeInProcessApp(temp: TempRoot, options: InProcessOptions = {}): Promise<InProcessApp> {
  const logger = recordingLogger('info');
  const log = options.log ?? logger.log;
  const { guard, ...services } = options;
  const app = createApp(testPipeline(testServices(temp, { ...services, log, routes: options.routes ?? (await allRoutes()) }), guard));
  const send = (method: string, pathname: string, init: AppRequest = {}): Promise<Response> => {
    const { headers, body } = headersAndBody(init);
    const request = new Request(`http://127.0.0.1${pathname}`, {
      method,
      headers,
      body,
      ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);
    return app.fetch(request, peerContext(init.peer ?? '127.0.0.1'));
  };
  return {
    logger,
    send,
    fetch: app.fetch,
    async request(pathname, init = {}) {
      const response = await send(init.method ?? 'GET', pathname, init);
      const text = await response.text();
      return { status: response.status, headers: response.headers, text, body: text === '' ? undefined : JSON.parse(text) };
    },
  };
}
