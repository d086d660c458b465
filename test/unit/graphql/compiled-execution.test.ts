// The compiled path (graphql/compiled-execution.ts) answers exactly what graphql-js answers.
import fs from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Ctx } from '../../../kit/context.js';
import { documentFiles, loadDocument, operationsOf } from '../../graphql/operation-documents.js';
import { graphqlEndpoint } from './graphql-call.js';
import { makeCtx, PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { silentLogger } from '../../../runtime/logger.js';
import { StorageMonitor } from '../../../domain/storage-monitor.js';
import { createStorageProbe } from '../../../store/storage-probe.js';
import { writeMountTable } from '../../helpers/mount-fixture.js';
import { appOperation, sendAppOperation } from './app-operation.js';
import { gql } from './graphql-call.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();
let ctx: Ctx;

beforeEach(async () => {
  writeMountTable(temp.paths);
  // Fixed sizes: the real disk's free space moves while other tests write, and the runs compared
  // here must differ only in how they were executed.
  const space = { totalBytes: 10 * 1024 ** 3, usedBytes: 1024 ** 3, freeBytes: 9 * 1024 ** 3 };
  const storage = new StorageMonitor({ ...createStorageProbe(temp.paths), statfs: async () => space }, { log: silentLogger });
  ctx = makeCtx(temp, { caller: null, storage });
  // Folder sizes are measured in the background after the first report: settled before any run.
  await storage.report();
  await storage.sizesSettled();
});

/** The variables our documents require; every other query takes none. */
const VARIABLES: Record<string, Record<string, unknown>> = {
  GetUser: { username: 'tester' },
  Logs: { limit: 5 },
  GetOverallCpuAndNetworkMetrics: { step: 60 },
  GetMemoryMetrics: { step: 60 },
  GetDiskMetrics: { step: 60 },
};

const QUERIES = documentFiles().flatMap((file) =>
  operationsOf(loadDocument(file))
    .filter((operation) => operation.operation === 'query')
    .map((operation) => operation.name?.value ?? ''),
);

describe('queries run a second time, through their compiled document', () => {
  it('covers every query of the app', () => {
    expect(QUERIES).toHaveLength(20);
  });

  it.each(QUERIES)('%s answers the same as through graphql-js', async (name) => {
    const first = await sendAppOperation(ctx, name, VARIABLES[name]);
    const second = await sendAppOperation(ctx, name, VARIABLES[name]);
    const third = await sendAppOperation(ctx, name, VARIABLES[name]);
    expect(first.status).toBe(200);
    expect(first.body.data).not.toBeNull();
    expect(second.status).toBe(first.status);
    expect(second.body).toEqual(first.body);
    expect(third.body).toEqual(first.body);
  });

  it('hides a resolver\'s fault as graphql-js does: "Internal server error", no detail', async () => {
    fs.writeFileSync(temp.paths.userdata, '{ not json');
    // A text of its own, so that the first run here is graphql-js's and the next ones compiled.
    const text = `${appOperation('AllUsers')}\n# unreadable userdata`;
    const send = () => gql(graphqlEndpoint, ctx, text, { operationName: 'AllUsers', token: PRIMARY_TOKEN });
    for (const answer of [await send(), await send(), await send()]) {
      expect(answer.status).toBe(200);
      expect(answer.body.data).toBeNull();
      // graphql-js stops at the first failed field of the list; the compiled form reports each one.
      expect(answer.body.errors.length).toBeGreaterThan(0);
      for (const error of answer.body.errors) {
        expect(error.message).toBe('Internal server error');
        expect(['users.allUsers', 'users.rootUser']).toContain(error.path.join('.'));
      }
      expect(JSON.stringify(answer.body)).not.toMatch(/json|stack|at /i);
    }
  });

  it('reads the store afresh each time: a change between two runs shows in the compiled answer', async () => {
    await sendAppOperation(ctx, 'GetUser', { username: 'tester' });
    const before = await sendAppOperation(ctx, 'GetUser', { username: 'tester' });
    const userdata = temp.readUserdata();
    userdata.sshKeys = [...(userdata.sshKeys ?? []), 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAddedBetweenRuns tester@test'];
    fs.writeFileSync(temp.paths.userdata, JSON.stringify(userdata));
    const after = await sendAppOperation(ctx, 'GetUser', { username: 'tester' });
    expect(after.body.data.users.getUser.sshKeys).toEqual([...before.body.data.users.getUser.sshKeys, userdata.sshKeys.at(-1)]);
  });
});
