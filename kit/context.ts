// What every function receives besides its Request (the services, the caller, the path parameters), and how it is built.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { z } from 'zod';
import type { StorageMonitor } from '../domain/storage-monitor.js';
import type { BackupController } from '../backups/controller.js';
import type { Store } from '../store/store.js';
import type { JobRegistry } from '../jobs/job-registry.js';
import type { Logger } from '../core/logger.js';
import type { Settings } from '../core/settings.js';
import type { RouteDefinition } from './routes.js';
import type { CommandRunner } from '../core/commands.js';

/** The device whose bearer token authenticated the request. */
export interface Caller {
  name: string;
  token: string;
}

/**
 * The services the composition root (runtime/server.ts) builds once per process. Every request's
 * ctx carries them; tests build theirs with test/helpers/services.ts.
 */
export interface Services {
  store: Store;
  system: CommandRunner;
  log: Logger;
  settings: Settings;
  /** The clock; tests move it to check expiry. */
  now: () => Date;
  /**
   * Every route of routes.json with its module. Only the OpenAPI function reads it, but it must be
   * the routes this server runs (a test's inline routes included), so it comes from the root too.
   */
  routes: readonly LoadedRoute[];
  /** Disk space and service folder sizes (GET /system/storage). */
  storage: StorageMonitor;
  /** Long work followed as jobs (GET /jobs; rebuild, upgrade, rollback, backups). */
  jobs: JobRegistry;
  /** Backups: restic jobs, their state and the snapshot cache (one per server process). */
  backups: BackupController;
}

/** What a function receives besides its Request: the services, and what the runtime learnt of this request. */
export interface Ctx extends Services {
  /** Null on public routes. */
  caller: Caller | null;
  /** Path parameters, already URL-decoded. */
  params: Record<string, string>;
}

/**
 * A function's ctx: the services, the caller and the path parameters, written out field by field.
 * Not `{ ...services, caller, params }`: the spread's objects slow every later read of ctx, on
 * every request (docs/benchmarks.md has the figures).
 * `store` replaces the services' store (GraphQL gives an operation one view of the files).
 */
export function functionCtx(services: Services, caller: Caller | null, params: Record<string, string>, store: Store = services.store): Ctx {
  const { system, log, settings, now, routes, storage, jobs, backups } = services;
  return { store, system, log, settings, now, routes, storage, jobs, backups, caller, params };
}

export type FunctionHandler = (request: Request, ctx: Ctx) => Promise<Response> | Response;

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** Media types of the body; `application/json` when absent. */
  mediaTypes?: readonly string[];
}

/** What the runtime gives a function's WebSocket endpoint for one connection (see runtime/socket-session.ts). */
export interface SocketSession {
  /** The client, as for a request (the peer, or nginx's X-Forwarded-For when the peer is loopback). */
  clientAddress: string;
  /**
   * Checks an `Authorization` value ("Bearer <token>") exactly as a request's header is checked:
   * the caller, or null. A wrong token is counted by the brute-force limiter and audited like a
   * refused request; a client over the limit gets null without a check.
   */
  authenticate(authorization: unknown): Caller | null;
  /** The ctx for the connection's operations, as a request of this caller would get it. */
  context(caller: Caller): Ctx;
}

/** A function's WebSocket side, at its route's path (GraphQL subscriptions). */
export interface SocketEndpoint {
  /** Takes over an HTTP upgrade request. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, session: SocketSession): void;
  /** Closes every open connection (shutdown). */
  close(): Promise<void>;
}

/** A function file: the default export answers; the named exports describe it (OpenAPI). */
export interface FunctionModule {
  default: FunctionHandler;
  /** Accepts WebSocket upgrades at the route's path. */
  socket?: SocketEndpoint;
  body?: z.ZodType;
  params?: z.ZodType;
  query?: z.ZodType;
  responses?: Record<number, ResponseSpec>;
}

/** A route of routes.json with its function module, loaded once at start-up (runtime/load-routes.ts). */
export interface LoadedRoute extends RouteDefinition {
  module: FunctionModule;
}
