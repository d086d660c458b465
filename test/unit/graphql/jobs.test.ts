// Unit tests of the GraphQL "jobs" area: the job list and removeJob through /graphql, jobUpdates on the schema.
import fs from 'node:fs';
import { parse, subscribe, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { newRequestState } from '../../../kit/transport.js';
import type { ResolverContext } from '../../../graphql/area.js';
import { graphqlEndpoint } from './graphql-call.js';
import { graphqlSchema } from '../../../graphql/schema.js';
import { PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { unitStateText, useFakeSystemdCtx } from '../../helpers/fake-systemd.js';
import { operationText } from '../../graphql/operation-documents.js';
import { waitFor } from '../../helpers/wait.js';
import { gql } from './graphql-call.js';

const setup = useFakeSystemdCtx();
const REBUILD = 'sp-nixos-rebuild.service';

function app(name: string, variables?: Record<string, unknown>) {
  return gql(graphqlEndpoint, { ...setup.ctx, caller: null }, operationText('api.graphql', name), { operationName: name, variables, token: PRIMARY_TOKEN });
}

/** A rebuild job as the 1.2 apply endpoint starts it; resolves once the job is recorded. */
async function startRebuild(): Promise<string> {
  const running = setup.ctx.jobs.runUnit('rebuild', REBUILD);
  await waitFor(() => setup.systemd.pendingStarts() > 0, 'systemctl start');
  void running;
  const [job] = await setup.ctx.jobs.list();
  return (job as { id: string }).id;
}

describe('jobs { getJobs } (GetApiJobs)', () => {
  it('lists the registry\'s jobs with the fields the app reads', async () => {
    const id = await startRebuild();
    const answer = await app('GetApiJobs');
    expect(answer.status).toBe(200);
    const [job] = answer.body.data.jobs.getJobs;
    expect(job).toMatchObject({ uid: id, typeId: 'system.nixos.rebuild', status: 'RUNNING', progress: null, finishedAt: null, error: null, result: null });
    expect(typeof job.name).toBe('string');
    expect(Date.parse(job.createdAt)).not.toBeNaN();
  });
});

describe('removeJob (RemoveJob)', () => {
  it('keeps a running job (409), removes a finished one (200) from jobs.json, then 404', async () => {
    const id = await startRebuild();
    expect((await app('RemoveJob', { jobId: id })).body.data.jobs.removeJob).toMatchObject({ success: false, code: 409 });
    setup.systemd.unitState = unitStateText('inactive', 'dead', 'success');
    setup.systemd.finishStart();
    await waitFor(async () => (await setup.ctx.jobs.get(id))?.state === 'succeeded', 'the rebuild to end');
    expect((await app('RemoveJob', { jobId: id })).body.data.jobs.removeJob).toEqual({ success: true, code: 200, message: 'Job removed' });
    expect(setup.ctx.jobs.has(id)).toBe(false);
    await waitFor(() => !fs.readFileSync(setup.temp.paths.jobs, 'utf8').includes(id), 'jobs.json without the job');
    expect((await app('RemoveJob', { jobId: id })).body.data.jobs.removeJob).toEqual({ success: false, code: 404, message: 'Job not found' });
  });
});

describe('subscription jobUpdates (JobUpdates)', () => {
  it('sends the job list each time a job starts and changes, and lets go of the registry when the client leaves', async () => {
    const rctx: ResolverContext = { ctx: setup.ctx, request: new Request('http://localhost/graphql'), state: newRequestState('test', undefined, '127.0.0.1') };
    const stream = (await subscribe({ schema: graphqlSchema(), document: parse(operationText('api.graphql', 'JobUpdates')), contextValue: rctx })) as AsyncGenerator<ExecutionResult>;
    expect(setup.ctx.jobs.listenerCount()).toBe(1);
    const next = stream.next();
    const id = await startRebuild();
    const started = await next;
    expect(started.value.errors).toBeUndefined();
    expect(started.value.data.jobUpdates).toEqual([expect.objectContaining({ uid: id, status: 'RUNNING', typeId: 'system.nixos.rebuild' })]);

    setup.systemd.unitState = unitStateText('inactive', 'dead', 'success');
    setup.systemd.finishStart();
    const finished = await stream.next();
    expect(finished.value.data.jobUpdates).toEqual([expect.objectContaining({ uid: id, status: 'FINISHED' })]);
    expect(finished.value.data.jobUpdates[0].finishedAt).not.toBeNull();

    await stream.return(undefined);
    expect(setup.ctx.jobs.listenerCount()).toBe(0);
  });
});
