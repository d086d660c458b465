// The request pipeline: router from routes.json, auth, body limit, JSON errors, one log line.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { IttyRouter, type IRequest } from 'itty-router';
import { requestStore } from '../store/request-store.js';
import type { Store } from '../store/store.js';
import { authenticate } from './auth.js';
import { readJsonBody } from './body.js';
import { clientAddress } from './client-address.js';
import type { Ctx, Settings } from './context.js';
import { HttpError, badRequest } from './errors.js';
import type { Logger } from './logger.js';
import { json, STANDARD_HEADERS } from './respond.js';
import { toRouterPath, type LoadedRoute } from './routes.js';
import type { CommandRunner } from './system.js';

export interface AppDependencies {
  store: Store;
  system: CommandRunner;
  log: Logger;
  settings: Settings;
  routes: LoadedRoute[];
  now?: () => Date;
}

/** What runtime/node-adapter.ts hands us besides the Request. */
export interface ServerContext {
  req?: IncomingMessage;
}

/** Per-request facts the pipeline fills in as it goes, for the log line. */
interface RequestState {
  requestId: string;
  socketAddress: string | undefined;
  callerName?: string;
}


const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function decodeParams(raw: Record<string, string> | undefined): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    try {
      decoded[name] = decodeURIComponent(value);
    } catch {
      throw badRequest(`Invalid path parameter ${name}`, name);
    }
  }
  return decoded;
}

export function errorResponse(error: unknown, log: Logger, requestId: string): Response {
  if (error instanceof HttpError) return json(error.body, error.status, error.headers);
  // Unexpected: log the kind and message for the admin, answer without details.
  const failure = error instanceof Error ? error : new Error(String(error));
  log.error('unhandled error', { requestId, errorName: failure.name, errorMessage: failure.message });
  return json({ error: 'Internal server error' }, 500);
}

function withStandardHeaders(response: Response): Response {
  for (const [name, value] of Object.entries(STANDARD_HEADERS)) {
    if (!response.headers.has(name)) response.headers.set(name, value);
  }
  return response;
}

export function createApp(deps: AppDependencies): { fetch: (request: Request, server?: ServerContext) => Promise<Response> } {
  const now = deps.now ?? (() => new Date());
  const router = IttyRouter<IRequest, [RequestState]>();

  for (const route of deps.routes) {
    router[route.method.toLowerCase() as 'get'](toRouterPath(route.path), async (request: IRequest, state: RequestState) => {
      // Authentication and the function share one read of each file (see store/request-store.ts).
      const store = requestStore(deps.store);
      const caller = route.public ? null : authenticate(request, store.tokens.read());
      if (caller !== null) state.callerName = caller.name;
      if (METHODS_WITH_BODY.has(request.method)) await readJsonBody(request);
      const ctx: Ctx = {
        store,
        system: deps.system,
        log: deps.log,
        settings: deps.settings,
        caller,
        params: decodeParams(request.params),
        clientAddress: clientAddress(request, state.socketAddress),
        now,
      };
      return route.module.default(request, ctx);
    });
  }

  // A known path with another method: 405 naming the methods it has.
  const methodsByPath = new Map<string, string[]>();
  for (const route of deps.routes) {
    methodsByPath.set(route.path, [...(methodsByPath.get(route.path) ?? []), route.method]);
  }
  for (const [routePath, methods] of methodsByPath) {
    router.all(toRouterPath(routePath), () =>
      json({ error: 'Method not allowed' }, 405, { allow: methods.join(', ') }),
    );
  }
  router.all('*', () => json({ error: 'Not found' }, 404));

  return {
    async fetch(request, server) {
      const started = performance.now();
      const state: RequestState = { requestId: randomUUID(), socketAddress: server?.req?.socket?.remoteAddress };
      let response: Response;
      try {
        response = (await router.fetch(request, state)) as Response;
      } catch (error) {
        response = errorResponse(error, deps.log, state.requestId);
      }
      withStandardHeaders(response);
      deps.log.info('request', {
        requestId: state.requestId,
        method: request.method,
        path: new URL(request.url).pathname,
        status: response.status,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        tokenName: state.callerName ?? null,
      });
      return response;
    },
  };
}
