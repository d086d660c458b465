import { beforeEach, describe, expect, it } from 'vitest';
import getJob from '../../../functions/jobs/get-job.js';
import jobEvents from '../../../functions/jobs/job-events.js';
import listJobs from '../../../functions/jobs/list-jobs.js';
import type { Ctx } from '../../../kit/context.js';
import { eventStreamResponse } from '../../../kit/event-stream.js';
import { call, jsonRequest } from '../../helpers/function-call.js';
import { readEvents } from '../../helpers/event-stream-reader.js';
import { unitStateText, useFakeSystemdCtx, type FakeSystemd } from '../../helpers/fake-systemd.js';
import { eventually } from '../../helpers/wait.js';

const REBUILD = 'sp-nixos-rebuild.service';

const setup = useFakeSystemdCtx();
let ctx: Ctx;
let systemd: FakeSystemd;
beforeEach(() => ({ ctx, systemd } = setup));

function withId(id: string): Ctx {
  return { ...ctx, params: { id } };
}

describe('GET /jobs', () => {
  it('lists no jobs on a fresh server', async () => {
    const { status, body } = await call(listJobs, jsonRequest('GET', '/jobs'), ctx);
    expect(status).toBe(200);
    expect(body).toEqual([]);
  });

  it('lists jobs newest first with their documented fields', async () => {
    const first = await ctx.jobs.startUnitJob('rebuild', REBUILD);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await ctx.jobs.startUnitJob('upgrade', 'sp-nixos-upgrade.service');
    const { body } = await call(listJobs, jsonRequest('GET', '/jobs'), ctx);
    expect(body.map((job: { id: string }) => job.id)).toEqual([second.id, first.id]);
    expect(Object.keys(body[0]).sort()).toEqual(['endedAt', 'error', 'id', 'log', 'progress', 'startedAt', 'state', 'type', 'unit']);
  });
});

describe('GET /jobs/{id}', () => {
  it('gives the job', async () => {
    const job = await ctx.jobs.startUnitJob('rebuild', REBUILD);
    const { status, body } = await call(getJob, jsonRequest('GET', `/jobs/${job.id}`), withId(job.id));
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: job.id, type: 'rebuild', unit: REBUILD, state: 'running' });
  });

  it('answers 404 for an unknown id', async () => {
    for (const id of ['00000000-0000-0000-0000-000000000000', 'not-a-job', '../jobs']) {
      const { status, body } = await call(getJob, jsonRequest('GET', `/jobs/${id}`), withId(id));
      expect(status).toBe(404);
      expect(body).toEqual({ error: 'Job not found' });
    }
  });
});

describe('GET /jobs/{id}/events', () => {
  it('streams the state now and each change, then ends when the job ends', async () => {
    const job = await ctx.jobs.startUnitJob('rebuild', REBUILD);
    const response = await jobEvents(jsonRequest('GET', `/jobs/${job.id}/events`), withId(job.id));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events = readEvents(response.body!);
    const first = await events.next();
    expect(first).toMatchObject({ id: '1', event: 'job' });
    expect(JSON.parse(first!.data)).toMatchObject({ id: job.id, state: 'running' });

    systemd.unitState = unitStateText('inactive', 'dead', 'success');
    systemd.finishStart();
    const rest = await events.rest();
    expect(rest.map((event) => JSON.parse(event.data).state)).toEqual(['succeeded']);
    expect(rest[0]?.id).toBe('2');
    expect(ctx.jobs.listenerCount()).toBe(0);
  });

  it('sends one event and ends for a job that has already ended', async () => {
    const job = await ctx.jobs.startUnitJob('rebuild', REBUILD);
    systemd.unitState = unitStateText('failed', 'failed', 'exit-code');
    systemd.finishStart({ exitCode: 1 });
    await eventually(async () => (await ctx.jobs.get(job.id))?.state === 'failed');
    const response = await jobEvents(jsonRequest('GET', `/jobs/${job.id}/events`), withId(job.id));
    const events = await readEvents(response.body!).rest();
    expect(events.map((event) => JSON.parse(event.data).state)).toEqual(['failed']);
  });

  it('lets go of the job when the client goes away', async () => {
    const job = await ctx.jobs.startUnitJob('rebuild', REBUILD);
    const client = new AbortController();
    const request = new Request(`http://127.0.0.1/jobs/${job.id}/events`, { signal: client.signal });
    const response = await jobEvents(request, withId(job.id));
    const events = readEvents(response.body!);
    await events.next();
    expect(ctx.jobs.listenerCount()).toBe(1);
    client.abort();
    expect(ctx.jobs.listenerCount()).toBe(0);
    expect(await events.next()).toBeNull();
  });

  it('lets go of the job when the reader cancels the stream', async () => {
    const job = await ctx.jobs.startUnitJob('rebuild', REBUILD);
    const response = await jobEvents(jsonRequest('GET', `/jobs/${job.id}/events`), withId(job.id));
    const events = readEvents(response.body!);
    await events.next();
    await events.cancel();
    expect(ctx.jobs.listenerCount()).toBe(0);
  });

  it('ends the stream when the registry closes (server shutdown)', async () => {
    const job = await ctx.jobs.startUnitJob('rebuild', REBUILD);
    const response = await jobEvents(jsonRequest('GET', `/jobs/${job.id}/events`), withId(job.id));
    const events = readEvents(response.body!);
    await events.next();
    await ctx.jobs.close();
    expect(await events.next()).toBeNull();
  });

  it('answers 404 for an unknown id', async () => {
    const { status, body } = await call(jobEvents, jsonRequest('GET', '/jobs/nope/events'), withId('nope'));
    expect(status).toBe(404);
    expect(body).toEqual({ error: 'Job not found' });
  });
});

describe('event streams', () => {
  it('send a keep-alive comment while quiet and stop it when they end', async () => {
    let end: () => void = () => undefined;
    let detached = 0;
    const response = eventStreamResponse(new Request('http://127.0.0.1/x'), (_send, stop) => {
      end = stop;
      return () => (detached += 1);
    }, { heartbeatMs: 10 });
    const reader = response.body!.getReader();
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toBe(': keep-alive\n\n');
    end();
    // Whatever was queued drains, then the stream is done and nothing more arrives.
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read());
    expect(detached).toBe(1);
  });

  it('end at once for a request that was already aborted', async () => {
    const aborted = new AbortController();
    aborted.abort();
    let attached = false;
    const response = eventStreamResponse(new Request('http://127.0.0.1/x', { signal: aborted.signal }), () => {
      attached = true;
      return () => undefined;
    });
    expect((await response.body!.getReader().read()).done).toBe(true);
    expect(attached).toBe(false);
  });
});
