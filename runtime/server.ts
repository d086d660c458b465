// Production entry (`npm run serve`): migrations, then node:http through runtime/node-adapter.
import http from 'node:http';
import { runMigrations } from '../migrations/run-migrations.js';
import { createStore } from '../store/store.js';
import { createApp } from './app.js';
import { loadConfig, type AppConfig } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { nodeListener } from './node-adapter.js';
import { loadRoutes } from './routes.js';
import { createCommandRunner } from './system.js';

const SHUTDOWN_GRACE_MS = 10_000;

export interface RunningServer {
  server: http.Server;
  url: string;
  close(): Promise<void>;
}

/** Builds everything once, runs the migrations, then listens. */
export async function startServer(config: AppConfig = loadConfig(), log: Logger = createLogger(config.logLevel)): Promise<RunningServer> {
  const store = createStore(config.root, log);
  const system = createCommandRunner();
  await runMigrations({ store, system, log });
  const routes = await loadRoutes();
  const app = createApp({
    store,
    system,
    log,
    routes,
    settings: { swaggerFromEnv: config.swaggerFromEnv, resticRepository: config.resticRepository },
  });
  const server = http.createServer(nodeListener(app.fetch, log));
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
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await closed;
    await store.drain();
  };
  return { server, url, close };
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
export async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  try {
    exitOnSignals(await startServer(config, log), log);
  } catch (error) {
    log.error('startup failed', { errorMessage: (error as Error).message });
    process.exit(1);
  }
}
