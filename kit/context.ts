// What every function receives besides its Request (the services, the caller, the path parameters), and how it is built.
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
   * Every route of routes.json with its module: the REST router serves them. They must be the
   * routes this server runs (a test's inline routes included), so they come from the root too.
   */
  routes: readonly LoadedRoute[];
  /**
   * The API's description (OpenAPI) of `routes` and of the transports mounted beside them, built by
   * the shell on first use: GET /api/swagger.json answers it without reaching up into the shell.
   */
  apiDocument: () => unknown;
  /** Disk space and service folder sizes (GET /system/storage). */
  storage: StorageMonitor;
  /** Long work followed as jobs (GET /jobs; rebuild, upgrade, rollback, backups). */
  jobs: JobRegistry;
  /** Backups: restic jobs, their state and the snapshot cache (one per server process). */
  backups: BackupController;
}

/**
 * What an operation adds to its request's audit line (kit/audit-event.ts writes it). The shell's
 * state of the request is one (kit/transport.ts RequestState), so a ctx points at that very object:
 * nothing is kept beside the request, nothing is allocated for a request that notes nothing.
 */
export interface AuditNotes {
  /** Sentences naming what the request changed, in order; undefined until one is noted. */
  auditEvents?: string[];
}

/** What a function receives besides its Request: the services, and what the runtime learnt of this request. */
export interface Ctx extends Services {
  /** Null on public routes. */
  caller: Caller | null;
  /** Path parameters, already URL-decoded. */
  params: Record<string, string>;
  /** Where this request's audit sentences go: the request's state, read by the shell when it ends. */
  audit: AuditNotes;
}

/**
 * A function's ctx: the services, the caller, the path parameters and the request's audit notes
 * (its state), written out field by field. Not `{ ...services, caller, params }`: the spread's
 * objects slow every later read of ctx, on every request (docs/benchmarks.md has the figures).
 * `store` replaces the services' store (GraphQL gives an operation one view of the files).
 */
export function functionCtx(
  services: Services,
  caller: Caller | null,
  params: Record<string, string>,
  audit: AuditNotes,
  store: Store = services.store,
): Ctx {
  const { system, log, settings, now, routes, apiDocument, storage, jobs, backups } = services;
  return { store, system, log, settings, now, routes, apiDocument, storage, jobs, backups, caller, params, audit };
}

export type FunctionHandler = (request: Request, ctx: Ctx) => Promise<Response> | Response;

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** Media types of the body; `application/json` when absent. */
  mediaTypes?: readonly string[];
}

/** A function file: the default export answers; the named exports describe it (OpenAPI). */
export interface FunctionModule {
  default: FunctionHandler;
  body?: z.ZodType;
  params?: z.ZodType;
  query?: z.ZodType;
  responses?: Record<number, ResponseSpec>;
}

/** What a route's description is made of: the schemas of its input and its answers. */
export type RouteSchemas = Omit<FunctionModule, 'default'>;

/**
 * A route as the API's description knows it: a route of routes.json, or one a transport mounted
 * beside the REST router serves (no function file; every answer, body errors included, its own).
 */
export interface DescribedRoute extends Omit<RouteDefinition, 'function'> {
  function?: string;
  module: RouteSchemas;
}

/** A route of routes.json with its function module, loaded once at start-up (runtime/load-routes.ts). */
export interface LoadedRoute extends RouteDefinition {
  module: FunctionModule;
}
