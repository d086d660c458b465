// The app's backup operations sent to a running server process, and waits on what they start.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { appOperation } from '../unit/graphql/app-operation.js';
import { PRIMARY_TOKEN } from './function-call.js';
import type { ServerProcess } from './server-process.js';
import { waitFor } from './wait.js';

/** Sends the app's operation `name` to /graphql with the owner's token; gives `data.backup`. */
export async function backupOperation(server: ServerProcess, name: string, variables?: Record<string, unknown>): Promise<any> {
  const response = await server.fetch('/graphql', { method: 'POST', token: PRIMARY_TOKEN, json: { query: appOperation(name), operationName: name, variables } });
  const body = (await response.json()) as { data?: { backup?: unknown }; errors?: unknown };
  if (body.errors !== undefined) throw new Error(`${name} answered errors: ${JSON.stringify(body.errors)}`);
  return body.data?.backup;
}

/** Waits for the registry's job to end; gives its final state. */
export function jobEnds(server: ServerProcess, id: string, timeoutMs = 120_000): Promise<{ state: string; error: string | null; type: string }> {
  return waitFor(async () => {
    const job = (await (await server.fetch(`/jobs/${id}`, { token: PRIMARY_TOKEN })).json()) as { state: string; error: string | null; type: string };
    return job.state === 'running' ? undefined : job;
  }, `job ${id} to end`, timeoutMs);
}

export interface RealSnapshot {
  id: string;
  short_id: string;
  time: string;
  tags?: string[];
  paths: string[];
}

/**
 * Runs the real restic on the test's repository (the password through the environment, as the API
 * does). Never synchronously: a blocked test process would reuse a keep-alive socket the server
 * closed meanwhile.
 */
export async function realRestic(repository: string, password: string, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)('restic', ['--no-cache', '-r', repository, ...args], { env: { ...process.env, RESTIC_PASSWORD: password }, encoding: 'utf8' });
  return stdout;
}

export async function realSnapshots(repository: string, password: string): Promise<RealSnapshot[]> {
  // --no-lock: read while the API's prune may hold the repository's exclusive lock.
  return JSON.parse(await realRestic(repository, password, ['--no-lock', 'snapshots', '--json'])) as RealSnapshot[];
}

export function resticInstalled(): boolean {
  try {
    execFileSync('restic', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Waits until the registry holds no running job (queued backups, a forget's prune). */
export function noJobRunning(server: ServerProcess, timeoutMs = 120_000): Promise<true> {
  return waitFor(async () => {
    const jobs = (await (await server.fetch('/jobs', { token: PRIMARY_TOKEN })).json()) as Array<{ state: string }>;
    return jobs.every((job) => job.state !== 'running') ? true : undefined;
  }, 'no job running', timeoutMs);
}
