import { afterEach, describe, expect, it } from 'vitest';
import backupStatus from '../../../functions/backups/backup-status.js';
import { call, jsonRequest } from '../../helpers/function-call.js';
import { makeBackupHarness, type BackupHarness } from '../../helpers/backup-harness.js';
import { waitFor } from '../../helpers/wait.js';
import { fixture } from '../../helpers/temp-root.js';

let harness: BackupHarness;
afterEach(() => harness.cleanup());

async function status(): Promise<any> {
  const { status: code, body } = await call(backupStatus, jsonRequest('GET', '/services/restic/backup/status'), harness.ctx);
  expect(code).toBe(200);
  return body;
}

async function settledStatus(): Promise<any> {
  return waitFor(async () => {
    const body = await status();
    return body.status === 'INITIALIZING' ? undefined : body;
  }, 'the repository to be looked at');
}

function userdataWithoutBackblaze(): Record<string, unknown> {
  const { backblaze: _dropped, ...rest } = fixture('userdata.json') as Record<string, unknown>;
  return rest;
}

describe('GET /services/restic/backup/status', () => {
  it('reports NO_KEY without Backblaze settings or a repository override, and never runs restic', async () => {
    harness = makeBackupHarness({ root: { userdata: userdataWithoutBackblaze() }, settings: { resticRepository: undefined } });
    harness.controller.start();
    expect(await status()).toEqual({ status: 'NO_KEY', progress: 0, error_message: null });
    expect(harness.restic.calls()).toEqual([]);
  });

  it('reports INITIALIZING until restic has answered, then INITIALIZED', async () => {
    harness = makeBackupHarness({ behaviour: { listGate: 'list' } });
    harness.controller.start();
    await waitFor(() => harness.restic.calls().length === 1, 'restic snapshots to start');
    expect((await status()).status).toBe('INITIALIZING');
    harness.restic.open('list');
    expect(await settledStatus()).toEqual({ status: 'INITIALIZED', progress: 0, error_message: null });
  });

  // Before, the status stayed NOT_INITIALIZED until a first backup.
  it('initialises a configured repository that does not exist yet at start: INITIALIZING, then INITIALIZED', async () => {
    harness = makeBackupHarness({ behaviour: { repositoryExists: false, listGate: 'list' } });
    harness.controller.start();
    await waitFor(() => harness.restic.calls().length === 1, 'restic snapshots to start');
    expect((await status()).status).toBe('INITIALIZING');
    harness.restic.open('list');
    expect(await settledStatus()).toEqual({ status: 'INITIALIZED', progress: 0, error_message: null });
    const commands = harness.restic.calls().map((c) => c.args.slice(3).filter((a) => !a.startsWith('-'))[0]);
    expect(commands).toEqual(['snapshots', 'init']);
    expect(harness.restic.behaviour().repositoryExists).toBe(true);
  });

  it('reports NOT_INITIALIZED when the repository disappears after start (until the next backup creates it)', async () => {
    harness = makeBackupHarness();
    harness.controller.start();
    expect((await settledStatus()).status).toBe('INITIALIZED');
    harness.restic.setBehaviour({ repositoryExists: false });
    harness.controller.requestReload();
    await waitFor(async () => (await status()).status === 'NOT_INITIALIZED', 'the missing repository to be noticed');
    expect(harness.restic.calls().some((c) => c.args.includes('init'))).toBe(false);
  });

  it('reports ERROR with restic\'s reason when the repository cannot be opened', async () => {
    harness = makeBackupHarness({ behaviour: { repositoryError: 'Fatal: wrong password or no key found' } });
    harness.controller.start();
    const body = await settledStatus();
    expect(body.status).toBe('ERROR');
    expect(body.error_message).toBe('Could not list the backups: Fatal: wrong password or no key found');
  });

  it('reports ERROR naming restic when it is not on PATH', async () => {
    harness = makeBackupHarness({ withoutRestic: true });
    harness.controller.start();
    const body = await settledStatus();
    expect(body.status).toBe('ERROR');
    expect(body.error_message).toMatch(/restic could not be started \(is it installed and on the API's PATH\?\)/);
  });

  it('reports ERROR naming RESTIC_PASSWORD when it is not set, without running restic', async () => {
    harness = makeBackupHarness({ settings: { resticPassword: undefined } });
    harness.controller.start();
    const body = await settledStatus();
    expect(body.status).toBe('ERROR');
    expect(body.error_message).toMatch(/RESTIC_PASSWORD is not set/);
    expect(harness.restic.calls()).toEqual([]);
  });
});
