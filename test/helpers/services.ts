// The services runtime/server.ts builds once, built the same way on a temporary root for tests that bring none of their own.
import { BackupController } from '../../backups/controller.js';
import { createJobRegistry } from '../../jobs/job-registry.js';
import type { Services } from '../../kit/context.js';
import { IdempotencyStore } from '../../runtime/idempotency.js';
import { createRequestGuard, type GuardOptions } from '../../runtime/request-guard.js';
import type { AppDependencies } from '../../runtime/app.js';
import { createGraphqlTransport } from '../../graphql/graphql.js';
import { silentLogger } from '../../runtime/logger.js';
import { openApiDocument } from '../../runtime/openapi.js';
import { createStorageMonitor } from '../../domain/storage-monitor.js';
import { createStore } from '../../store/store.js';
import { fakeRunner } from './fake-runner.js';
import type { TempRoot } from './temp-root.js';

/**
 * The services on `temp`, each from `overrides` when given. What is built uses the given store,
 * runner, logger and settings; the backup controller is not started (tests of backups pass theirs).
 */
export function testServices(temp: TempRoot, overrides: Partial<Services> = {}): Services {
  const log = overrides.log ?? silentLogger;
  const store = overrides.store ?? createStore(temp.root, log);
  const system = overrides.system ?? fakeRunner();
  const settings = overrides.settings ?? { swaggerFromEnv: false };
  const now = overrides.now ?? ((): Date => new Date());
  const jobs = overrides.jobs ?? createJobRegistry(temp.paths, { system, log, now });
  return {
    store,
    system,
    log,
    settings,
    now,
    routes: overrides.routes ?? [],
    apiDocument: overrides.apiDocument ?? ((): unknown => openApiDocument(overrides.routes ?? [])),
    storage: overrides.storage ?? createStorageMonitor(temp.paths, log),
    jobs,
    backups: overrides.backups ?? new BackupController({ store, system, log, settings, jobs }),
  };
}

/** What createApp takes besides the services, as the server builds them (GraphQL mounted); `guard` replaces production limits. */
export function testPipeline(services: Services, guard: GuardOptions = {}): AppDependencies {
  return {
    services,
    idempotency: new IdempotencyStore(),
    guard: createRequestGuard(services.store.paths.auditLog, services.log, guard),
    transports: [createGraphqlTransport()],
  };
}
