// The request pipeline: router from routes.json, auth, body limit, JSON errors, one log line.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { IttyRouter, type IRequest } from 'itty-router';
import { requestStore } from '../store/request-store.js';
import type { Store } from '../store/store.js';
import { authenticate } from './auth.js';
import { METHODS_WITH_BODY, readFormBody, readJsonBody } from '../kit/body.js';
import { clientAddress } from './client-address.js';
import { functionCtx, type AuditNotes, type Caller, type Ctx, type Services } from '../kit/context.js';
import { HttpError, badRequest } from '../core/errors.js';
import type { IdempotencyStore } from './idempotency.js';
import type { Logger } from '../core/logger.js';
import type { RequestGuard } from './request-guard.js';
import { createSocketSession } from './socket-session.js';
import { json, STANDARD_HEADERS } from '../kit/respond.js';
import { targetProblem } from './request-target.js';
import { concretePaths } from './route-paths.js';
import { toRouterPath, type RouteDefinition } from '../kit/routes.js';
import { newRequestState, type RequestState, type SocketSession, type Transport, type TransportGate } from '../kit/transport.js';

/** Everything the pipeline uses, built by the composition root (runtime/server.ts); the app builds none of it. */
export interface AppDependencies {
  /** What every function's ctx carries; `services.routes` are the routes the app serves. */
  services: Services;
  /** Answers kept for Idempotency-Key retries. */
  idempotency: IdempotencyStore;
  /** Brute-force limiter, audit log and time limit around every request. */
  guard: RequestGuard;
  /** Transports mounted beside the REST router, each at its own path (GraphQL). */
  transports: readonly Transport[];
}

/** What @whatwg-node/server hands us besides the Request on node:http. */
export interface ServerContext {
  req?: IncomingMessage;
  res?: ServerResponse;
}

/** Per-request facts the pipeline fills in as it goes: the shared ones, and the REST route that answered. */
interface PipelineState extends RequestState {
  route?: RouteDefinition;
}

/** The open parameters as the router found them, decoded, with the closed ones the path fixes (runtime/route-paths.ts). */
function decodeParams(raw: Record<string, string> | undefined, fixed: Record<string, string>): Record<string, string> {
  const decoded: Record<string, string> = { ...fixed };
  for (const [name, value] of Object.entries(raw ?? {})) {
    try {
      decoded[name] = decodeURIComponent(value);
    } catch {
      throw badRequest(`Invalid path parameter ${name}`, name);
    }
  }
  return decoded;
}

/**
 * HEAD is GET without the body (RFC 9110 §9.3.2): the same function, token and headers; node:http
 * leaves the body out. Not on a GET route that changes the server (GET /system/reboot): a HEAD is
 * expected to be safe, and tools send it freely (link checkers, monitors), so it answers 405 there.
 */
function answersHead(route: RouteDefinition): boolean {
  return route.method === 'GET' && !route.mutates;
}

/** The path for the log line and the audit, also for a target no URL could be made of. */
function pathOf(request: Request): string {
  try {
    return new URL(request.url).pathname;
  } catch {
    return '(not a path)';
  }
}

/** An unexpected error: its kind and message for the admin, never in an answer. */
function logUnexpected(error: unknown, log: Logger, requestId: string): void {
  const failure = error instanceof Error ? error : new Error(String(error));
  log.error('unhandled error', { requestId, errorName: failure.name, errorMessage: failure.message });
}

export function errorResponse(error: unknown, log: Logger, requestId: string): Response {
  if (error instanceof HttpError) return json(error.body, error.status, error.headers);
  logUnexpected(error, log, requestId);
  return json({ error: 'Internal server error' }, 500);
}

const STANDARD_HEADER_ENTRIES = Object.entries(STANDARD_HEADERS);

/**
 * The headers every answer carries besides its own: the standard ones (unless the answer set its
 * own value) and the request id. On node:http they go on Node's response, which merges them
 * under the answer's headers; the answer itself stays as built, and @whatwg-node writes such an
 * answer's headers in one go instead of copying them one by one, on every request.
 */
function addPipelineHeaders(response: Response, requestId: string, nodeResponse: ServerResponse | undefined): void {
  const set = (name: string, value: string): void => {
    if (nodeResponse !== undefined) nodeResponse.setHeader(name, value);
    else response.headers.set(name, value);
  };
  // Answers built by json() have the standard headers already (looking costs less than setting).
  for (const [name, value] of STANDARD_HEADER_ENTRIES) {
    if (!response.headers.has(name)) set(name, value);
  }
  set('x-request-id', requestId);
}

export interface App {
  fetch: (request: Request, server?: ServerContext) => Promise<Response>;
  /** For a WebSocket upgrade at `path`: the token check, limiter and ctx a request would get. */
  socketSession(path: string, upgrade: IncomingMessage): SocketSession;
}

export function createApp({ services, idempotency, guard, transports }: AppDependencies): App {
  const { routes, log } = services;
  const router = IttyRouter<IRequest, [PipelineState]>();
  // Each route at each of its paths: one per value of a closed path parameter.
  const served = routes.flatMap((route) => concretePaths(route).map(({ path, fixed }) => ({ route, path, fixed })));

  for (const { route, path, fixed } of served) {
    const answer = async (request: IRequest, state: PipelineState): Promise<Response> => {
      state.route = route;
      guard.admit(route, state);
      // Authentication and the function share one read of each file (see store/request-store.ts).
      const store = requestStore(services.store);
      let caller: Caller | null = null;
      if (!route.public) {
        try {
          caller = authenticate(request, store.tokens.read());
        } catch (refusal) {
          throw guard.refusedToken(refusal, state.clientAddress);
        }
        state.callerName = caller.name;
      }
      if (METHODS_WITH_BODY.has(request.method)) await (route.formBody === true ? readFormBody(request) : readJsonBody(request));
      const ctx = functionCtx(services, caller, decodeParams(request.params, fixed), state, store);
      return idempotency.handle(request, caller?.token ?? null, () => route.module.default(request, ctx));
    };
    // Within the route's time limit: 30 s, or its own in routes.json (the rebuilds wait for systemd).
    const answerInTime = (request: IRequest, state: PipelineState): Promise<Response> => guard.inTime(answer(request, state), state.requestId, route);
    router[route.method.toLowerCase() as 'get'](toRouterPath(path), answerInTime);
    if (answersHead(route)) router.head(toRouterPath(path), answerInTime);
  }

  // A known path with another method: 405 naming the methods it has.
  const methodsByPath = new Map<string, string[]>();
  for (const { route, path } of served) {
    const methods = answersHead(route) ? [route.method, 'HEAD'] : [route.method];
    methodsByPath.set(path, [...(methodsByPath.get(path) ?? []), ...methods]);
  }
  for (const [routePath, methods] of methodsByPath) {
    router.all(toRouterPath(routePath), () =>
      json({ error: 'Method not allowed' }, 405, { allow: methods.join(', ') }),
    );
  }
  router.all('*', () => json({ error: 'Not found' }, 404));

  // A WebSocket connection's operations get the ctx a request of the same caller would.
  const socketContext = (caller: Caller, audit: AuditNotes): Ctx => functionCtx(services, caller, {}, audit);

  /** A transport's token check: the router's check and limiter, for the client the pipeline found. */
  const authenticateFor = (request: Request, state: PipelineState, store: Store): Caller | HttpError => {
    try {
      const caller = authenticate(request, store.tokens.read());
      state.callerName = caller.name;
      return caller;
    } catch (refusal) {
      if (!(refusal instanceof HttpError)) throw refusal;
      return guard.refusedToken(refusal, state.clientAddress) as HttpError;
    }
  };
  /** What went wrong around a transport's answer, said in its dialect (an unexpected fault logged as for REST). */
  const transportFailure = (transport: Transport, error: unknown, requestId: string): Response => {
    if (error instanceof HttpError) {
      const message = (error.body as { error?: unknown } | undefined)?.error;
      return transport.failure(error.status, typeof message === 'string' ? message : 'Request failed', error.headers);
    }
    logUnexpected(error, log, requestId);
    return transport.failure(500, 'Internal server error', {});
  };
  const transportAt = new Map(transports.map((transport) => [transport.path, transport]));
  const answerTransport = (transport: Transport, request: Request, state: PipelineState): Promise<Response> => {
    // The token check and the operations share one read of each file, as a REST request's do.
    const store = requestStore(services.store);
    const gate: TransportGate = {
      authenticate: (presented) => authenticateFor(presented, state, store),
      chargeLoginGuesses: (charged, count) => guard.chargeLoginGuesses(charged, count),
    };
    return guard.inTime(transport.fetch(request, { services, store, state, gate }), state.requestId);
  };

  return {
    socketSession: (path, upgrade) => createSocketSession(path, upgrade, { store: services.store, guard, context: socketContext }),
    async fetch(request, server) {
      const started = performance.now();
      const socketAddress = server?.req?.socket?.remoteAddress;
      const state: PipelineState = newRequestState(randomUUID(), socketAddress, clientAddress(request, socketAddress));
      const path = pathOf(request);
      const transport = transportAt.get(path);
      // On node:http, the target as the client sent it (runtime/request-target.ts); a test's Request has none.
      const target = server?.req?.url;
      let response: Response;
      try {
        const problem = target === undefined ? null : targetProblem(target);
        if (problem !== null) throw problem;
        response = await (transport === undefined ? (router.fetch(request, state) as Promise<Response>) : answerTransport(transport, request, state));
      } catch (error) {
        response = transport === undefined ? errorResponse(error, log, state.requestId) : transportFailure(transport, error, state.requestId);
      }
      // The same id is in the log line, so an admin can find the line of a reported answer.
      addPipelineHeaders(response, state.requestId, server?.res);
      const tokenName = state.callerName ?? null;
      const audited = guard.settle({ request, path, status: response.status, route: state.route, transport: transport !== undefined, state });
      if (audited !== null) await audited;
      log.request({
        requestId: state.requestId,
        method: request.method,
        path,
        status: response.status,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        tokenName,
      });
      return response;
    },
  };
}
