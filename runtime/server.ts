// Production entry (`npm run serve`): migrations, then node:http through @whatwg-node/server.
import http from 'node:http';
import { createServerAdapter } from '@whatwg-node/server';
import { BackupController } from '../backups/controller.js';
import { assertManagedLayout } from '../migrations/managed-layout.js';
import { runMigrations } from '../migrations/run-migrations.js';
import { atomicWriteFolders, removeStaleTemporaries } from '../store/stale-temporaries.js';
import { createStorageMonitor } from '../domain/storage-monitor.js';
import { startServiceMemoryExport } from '../domain/monitoring/service-memory.js';
import { createStore } from '../store/store.js';
import { API_VERSION } from '../kit/api-version.js';
import type { Duplex } from 'node:stream';
import { createApp, type App, type ServerContext } from './app.js';
import { loadConfig, type AppConfig } from './config.js';
import { IdempotencyStore } from './idempotency.js';
import { createJobRegistry } from '../jobs/job-registry.js';
import { createLogger } from './logger.js';
import { type Logger } from '../core/logger.js';
import type { Services } from '../kit/context.js';
import type { Transport } from '../kit/transport.js';
import { createGraphqlTransport } from '../graphql/graphql.js';
import { openApiDocument } from './openapi.js';
import { createRequestGuard } from './request-guard.js';
import { answerClientError, pinRequestTarget } from './request-target.js';
import { readRouteDefinitions } from '../kit/routes.js';
import { describedRoutes, loadRoutes } from './load-routes.js';
import type { RunningServer } from './running-server.js';
import type { ServerBundle } from './server-bundle.cjs';
import { createCommandRunner } from './system.js';

const SHUTDOWN_GRACE_MS = 10_000;


/**
 * The composition root: builds every service once (createApp builds none), runs the migrations,
 * then listens; `bundle` when running from the production bundle.
 */
export async function startServer(
  config: AppConfig = loadConfig(),
  log: Logger = createLogger(config.logLevel),
  bundle?: ServerBundle,
): Promise<RunningServer> {
  log.info('starting', {
    apiVersion: API_VERSION,
    node: process.version,
    root: config.root,
    swaggerFromEnv: config.swaggerFromEnv,
    codeCache: bundle?.codeCache ?? 'not bundled',
  });
  const store = createStore(config.root, log);
  // A process killed mid-write leaves its temporary file; the files themselves are whole.
  const serviceMemoryFolders = config.nodeExporterTextfileFolder === undefined ? [] : [config.nodeExporterTextfileFolder];
  removeStaleTemporaries([...atomicWriteFolders(store.paths), ...serviceMemoryFolders], log);
  // restic gets RESTIC_PASSWORD from the backup controller only; git, systemctl and the rest never see it.
  const { RESTIC_PASSWORD: _resticPassword, ...commandEnvironment } = process.env;
  const system = createCommandRunner(commandEnvironment);
  assertManagedLayout(store);
  await runMigrations({ store, system, log });
  // A bundle carries routes.json as checked when it was built, so the two cannot disagree.
  const definitions = bundle?.routeDefinitions ?? readRouteDefinitions();
  const routes = await loadRoutes(definitions, bundle?.functionModules);
  const now = (): Date => new Date();
  const jobs = createJobRegistry(store.paths, { system, log, now });
  const settings = {
    swaggerFromEnv: config.swaggerFromEnv,
    resticRepository: config.resticRepository,
    resticPassword: config.resticPassword,
    prometheusUrl: config.prometheusUrl,
    autobackupCheckSeconds: config.autobackupCheckSeconds,
  };
  // Built before the registry loads jobs.json: the controller tells it how to resume backups and restores.
  const backups = new BackupController({ store, system, log, settings, jobs });
  jobs.resume();
  backups.start();
  // Prometheus learns each service's memory through node exporter, which reads the file this writes.
  const serviceMemory = config.nodeExporterTextfileFolder === undefined
    ? undefined
    : startServiceMemoryExport({ system, log, folder: config.nodeExporterTextfileFolder, intervalMs: config.serviceMemoryIntervalMs });
  // GraphQL is mounted beside the REST router at its own path, with its own token gate.
  const transports = [createGraphqlTransport()];
  const described = describedRoutes(routes, transports);
  const apiDocument = (): unknown => openApiDocument(described);
  const services: Services = { store, system, log, settings, now, routes, apiDocument, storage: createStorageMonitor(store.paths, log), jobs, backups };
  const app = createApp({ services, idempotency: new IdempotencyStore(), guard: createRequestGuard(store.paths.auditLog, log), transports });
  let draining = false;
  const adapter = createServerAdapter<ServerContext>(async (request, context) => {
    const response = await app.fetch(request, context);
    // While draining, a kept-alive connection would sit idle until its timeout and hold the exit up.
    if (draining) response.headers.set('connection', 'close');
    return response;
  }, {
    // What the adapter would work out by comparing its Request class with the global one; reading
    // globalThis.Request makes Node load its built-in fetch (undici), start-up work we never use.
    __useCustomAbortCtrl: true,
  });
  // The adapter settles every request itself (an error becomes a 500), so this promise never rejects.
  const server = http.createServer((req, res) => {
    // The URL is built from the target alone, never from the client's Host header.
    pinRequestTarget(req);
    void adapter(req, res);
  });
  server.on('clientError', answerClientError);
  const sockets = acceptUpgrades(server, transports, app, log);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  log.info('listening', { url, root: config.root });

  const close = async (): Promise<void> => {
    // Stop accepting, let in-flight requests finish, then wait for queued writes (and their locks).
    draining = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // WebSocket connections are no requests: closed by their endpoints (code 1001, going away).
    await sockets.close();
    // Ends the job event streams, which would otherwise hold their connections open.
    await jobs.close();
    server.closeIdleConnections();
    await closed;
    await backups.close();
    await serviceMemory?.stop();
    await store.drain();
  };
  return { server, url, close };
}

/** Transports take WebSocket upgrades at their path; any other upgrade is refused with 404. */
function acceptUpgrades(server: http.Server, transports: readonly Transport[], app: App, log: Logger): { close(): Promise<void> } {
  const byPath = new Map(transports.map((transport) => [transport.path, transport.socket]));
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    const endpoint = byPath.get(path);
    if (endpoint === undefined) {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    try {
      endpoint.upgrade(req, socket, head, app.socketSession(path, req));
    } catch (error) {
      // A listener that throws would take the whole server down; this connection only is lost.
      log.error('websocket upgrade failed', { errorMessage: (error as Error).message });
      socket.destroy();
    }
  });
  return {
    close: async () => {
      await Promise.all([...byPath.values()].map((endpoint) => endpoint.close()));
    },
  };
}

function exitOnSignals(running: RunningServer, log: Logger): void {
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    const force = setTimeout(() => {
      log.warn('shutdown grace period over; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** Starts the server and exits cleanly on SIGTERM/SIGINT. */
export async function main(bundle?: ServerBundle): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  try {
    exitOnSignals(await startServer(config, log, bundle), log);
  } catch (error) {
    log.error('startup failed', { errorMessage: (error as Error).message });
    process.exit(1);
  }
}
