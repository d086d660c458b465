// Calls a function file directly with a Request and a ctx built on a temporary root.
import { BackupController } from '../../backups/controller.js';
import type { Ctx, FunctionHandler } from '../../runtime/context.js';
import { errorResponse } from '../../runtime/app.js';
import { createJobRegistry } from '../../jobs/job-registry.js';
import { silentLogger } from '../../runtime/logger.js';
import type { CommandRunner, RunOptions, RunResult } from '../../core/commands.js';
import { createStorageMonitor } from '../../store/storage-monitor.js';
import { createStore } from '../../store/store.js';
import { expectDocumentedStatus } from './documented-status.js';
import type { TempRoot } from './temp-root.js';

/** The first token of the example tokens.json (device "primary_token"). */
export const PRIMARY_TOKEN = 'Yk8z8C3mJm2mGQyQm0c9o0tT2h2n3Q6VbZl6s1f5Uu4';

export interface RecordedCommand {
  command: string;
  args: string[];
  options?: RunOptions;
  detached?: boolean;
}

/** A command runner that records calls and answers from a table instead of running anything. */
export function fakeRunner(answer: (command: string, args: string[]) => Partial<RunResult> = () => ({})): CommandRunner & { calls: RecordedCommand[] } {
  const calls: RecordedCommand[] = [];
  return {
    calls,
    async run(command, args, options) {
      calls.push({ command, args: [...args], options });
      return { exitCode: 0, stdout: '', stderr: '', timedOut: false, ...answer(command, [...args]) };
    },
    spawnDetached(command, args) {
      calls.push({ command, args: [...args], detached: true });
    },
    async start(command, args, options) {
      calls.push({ command, args: [...args], options, detached: true });
      return { pid: undefined, exited: Promise.resolve({ exitCode: 0, timedOut: false }) };
    },
  };
}

export function makeCtx(temp: TempRoot, overrides: Partial<Ctx> = {}): Ctx {
  const store = overrides.store ?? createStore(temp.root, silentLogger);
  const system = overrides.system ?? fakeRunner();
  const settings = overrides.settings ?? { swaggerFromEnv: false };
  const jobs = overrides.jobs ?? createJobRegistry(temp.paths, { system, log: silentLogger });
  return {
    store,
    system,
    log: silentLogger,
    settings,
    // Not started: nothing runs until a test calls it (tests of backups pass their own).
    backups: new BackupController({ store, system, log: silentLogger, settings, jobs }),
    caller: { name: 'primary_token', token: PRIMARY_TOKEN },
    params: {},
    clientAddress: '127.0.0.1',
    now: () => new Date(),
    routes: [],
    storage: createStorageMonitor(temp.paths, silentLogger),
    jobs,
    ...overrides,
  };
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as is (for malformed-JSON tests). */
  rawBody?: string;
  headers?: Record<string, string>;
}

export function jsonRequest(method: string, path: string, options: RequestOptions = {}): Request {
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  return new Request(`http://127.0.0.1${path}`, {
    method,
    body,
    headers: { 'content-type': 'application/json', ...options.headers },
  });
}

/**
 * Runs a function as the runtime would: thrown errors become their JSON answers. A routed function's
 * status must be one its `responses` export documents (the OpenAPI document is built from it).
 */
export async function call(handler: FunctionHandler, request: Request, ctx: Ctx): Promise<{ status: number; body: any; response: Response }> {
  let response: Response;
  try {
    response = await handler(request, ctx);
  } catch (error) {
    response = errorResponse(error, ctx.log, 'test');
  }
  await expectDocumentedStatus(handler, response.status);
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text), response };
}
