import { afterEach, describe, expect, it } from 'vitest';
import backupStatus from '../../../functions/backups/backup-status.js';
import listBackups from '../../../functions/backups/list-backups.js';
import reloadBackups from '../../../functions/backups/reload-backups.js';
import { call, jsonRequest } from '../../helpers/function-call.js';
import { makeBackupHarness, type BackupHarness } from '../../helpers/backup-harness.js';
import { waitFor } from '../../helpers/wait.js';
import { fixture } from '../../helpers/temp-root.js';

let harness: BackupHarness;
afterEach(() => harness.cleanup());

const SNAPSHOTS = fixture<any[]>('restic-snapshots.json');
const list = async (): Promise<any> => (await call(listBackups, jsonRequest('GET', '/services/restic/backup/list'), harness.ctx)).body;
const listCalls = () => harness.restic.calls().filter((c) => c.args.includes('snapshots')).length;
const initialized = () =>
  waitFor(async () => (await call(backupStatus, jsonRequest('GET', '/'), harness.ctx)).body.status === 'INITIALIZED', 'INITIALIZED');

describe('GET /services/restic/backup/list', () => {
  it('lists the snapshots exactly as restic printed them', async () => {
    harness = makeBackupHarness({ behaviour: { snapshots: SNAPSHOTS } });
    harness.controller.start();
    await initialized();
    expect(await list()).toEqual(SNAPSHOTS);
  });

  it('answers an empty list before anything was loaded', async () => {
    harness = makeBackupHarness({ behaviour: { snapshots: SNAPSHOTS } });
    expect(await list()).toEqual([]);
  });

  it('answers from the cache of the previous API process while restic is still being asked', async () => {
    harness = makeBackupHarness({ behaviour: { snapshots: SNAPSHOTS } });
    harness.controller.start();
    await initialized();
    harness.restic.setBehaviour({ listGate: 'list' });
    const next = harness.restart().controller;
    next.start();
    await waitFor(() => listCalls() === 2, 'the new process to ask restic');
    expect(next.snapshots()).toEqual(SNAPSHOTS);
  });
});

describe('GET /services/restic/backup/reload', () => {
  it('answers at once and refreshes the list in the background, the old list served meanwhile', async () => {
    harness = makeBackupHarness({ behaviour: { snapshots: SNAPSHOTS.slice(0, 1) } });
    harness.controller.start();
    await initialized();
    harness.restic.setBehaviour({ snapshots: SNAPSHOTS, listGate: 'list' });

    const { status, body } = await call(reloadBackups, jsonRequest('GET', '/services/restic/backup/reload'), harness.ctx);
    expect(status).toBe(200);
    expect(body).toEqual({ status: 0, message: 'Snapshots reload started' });
    await waitFor(() => listCalls() === 2, 'restic snapshots to be asked again');
    expect(await list()).toEqual(SNAPSHOTS.slice(0, 1));

    harness.restic.open('list');
    await waitFor(async () => (await list()).length === 2, 'the reloaded list');
    expect(await list()).toEqual(SNAPSHOTS);
  });
});
