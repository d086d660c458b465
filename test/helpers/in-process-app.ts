// The whole request pipeline (createApp) on a temporary root, called in-process with Request objects.
import { createApp, type ServerContext } from '../../runtime/app.js';
import type { FunctionHandler, FunctionModule } from '../../runtime/context.js';
import { loadRoutes, type LoadedRoute, type RouteDefinition } from '../../runtime/routes.js';
import { createStore } from '../../store/store.js';
import { fakeRunner } from './function-call.js';
import { recordingLogger, type RecordingLogger } from './recording-logger.js';
import { headersAndBody, type TestRequestOptions } from './request-options.js';
import type { TempRoot } from './temp-root.js';

export interface AppRequest extends TestRequestOptions {
  method?: string;
  /** The socket peer the server would see. */
  peer?: string;
}

export interface AppAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body (undefined when empty). */
  body: any;
}

export interface InProcessApp {
  request(pathname: string, init?: AppRequest): Promise<AppAnswer>;
  logger: RecordingLogger;
}

/** A route for runtime tests, with an inline function instead of a file. */
export function inlineRoute(
  definition: Pick<RouteDefinition, 'method' | 'path'> & { public?: boolean },
  handler: FunctionHandler,
  extra: Omit<FunctionModule, 'default'> = {},
): LoadedRoute {
  return {
    method: definition.method,
    path: definition.path,
    public: definition.public ?? false,
    function: 'functions/test/inline.ts',
    summary: 'test route',
    tag: 'test',
    module: { default: handler, ...extra },
  };
}

/** Builds the app on `temp`; without `routes`, the real routes.json and its function files. */
export async function makeInProcessApp(temp: TempRoot, routes?: LoadedRoute[]): Promise<InProcessApp> {
  const logger = recordingLogger('info');
  const app = createApp({
    store: createStore(temp.root, logger.log),
    system: fakeRunner(),
    log: logger.log,
    settings: { swaggerFromEnv: false },
    routes: routes ?? (await loadRoutes()),
  });
  return {
    logger,
    async request(pathname, init = {}) {
      const { headers, body } = headersAndBody(init);
      const request = new Request(`http://127.0.0.1${pathname}`, {
        method: init.method ?? 'GET',
        headers,
        body,
        ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
      } as RequestInit);
      const server = { req: { socket: { remoteAddress: init.peer ?? '127.0.0.1' } } } as unknown as ServerContext;
      const response = await app.fetch(request, server);
      const text = await response.text();
      return { status: response.status, headers: response.headers, text, body: text === '' ? undefined : JSON.parse(text) };
    },
  };
}
