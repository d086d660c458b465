// The job event stream served by node:http in-process, to see that a client leaving releases the job.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createServerAdapter } from '@whatwg-node/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type ServerContext } from '../../../runtime/app.js';
import { createJobRegistry, type JobRegistry } from '../../../jobs/job-registry.js';
import { silentLogger } from '../../../runtime/logger.js';
import { loadRoutes } from '../../../runtime/load-routes.js';
import { PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { fakeSystemd } from '../../helpers/fake-systemd.js';
import { eventually } from '../../helpers/wait.js';
import { testPipeline, testServices } from '../../helpers/services.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();
let jobs: JobRegistry;
let server: http.Server;
let url: string;

beforeEach(async () => {
  fs.mkdirSync(path.dirname(temp.paths.jobs), { recursive: true });
  fs.writeFileSync(temp.paths.jobs, JSON.stringify({ jobs: [{
    id: 'running-job', type: 'rebuild', unit: 'sp-nixos-rebuild.service', state: 'running', startedAt: new Date().toISOString(),
    endedAt: null, progress: null, error: null, log: [], runId: 'earlier',
  }] }));
  const system = fakeSystemd();
  jobs = createJobRegistry(temp.paths, { system, log: silentLogger, pollIntervalMs: 50 });
  const app = createApp(testPipeline(testServices(temp, { system, routes: await loadRoutes(), jobs })));
  const adapter = createServerAdapter<ServerContext>((request, context) => app.fetch(request, context));
  server = http.createServer((req, res) => void adapter(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  url = `http://127.0.0.1:${address.port}`;
});

afterEach(async () => {
  await jobs.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('GET /jobs/{id}/events over node:http', () => {
  it('releases the job when the client disconnects', async () => {
    const client = new AbortController();
    const response = await fetch(`${url}/jobs/running-job/events`, { headers: { authorization: `Bearer ${PRIMARY_TOKEN}` }, signal: client.signal });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toContain('event: job');
    expect(jobs.listenerCount()).toBe(1);
    client.abort();
    await eventually(() => jobs.listenerCount() === 0);
  });
});
