// The local trial backs its sample service up automatically into its own repository, with the real restic.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { enableTrialAutobackups, prepareTrialRoot, TRIAL_AUTOBACKUP_MINUTES } from '../../../runtime/trial-root.js';
import { realSnapshots, resticInstalled } from '../../helpers/backup-graphql.js';
import { startServerProcess, type ServerProcess } from '../../helpers/server-process.js';
import { waitFor } from '../../helpers/wait.js';

let scratch: string | undefined;
let server: ServerProcess | undefined;

afterAll(async () => {
  await server?.stop();
  if (scratch !== undefined) fs.rmSync(scratch, { recursive: true, force: true });
});

describe('the trial\'s automatic backups', () => {
  it('are on in a new trial root, and back Nextcloud\'s sample data up into the trial repository', async () => {
    if (!resticInstalled()) throw new Error('restic is not installed: apt-get install restic');
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-trial-backups-'));
    const trial = prepareTrialRoot(path.join(scratch, '.trial-root'));
    await enableTrialAutobackups(trial);
    server = await startServerProcess(trial.root, {
      PATH: `${trial.binFolder}${path.delimiter}${process.env.PATH ?? ''}`,
      SELFPRIVACY_RESTIC_REPOSITORY: trial.resticRepository,
      RESTIC_PASSWORD: trial.resticPassword,
      SELFPRIVACY_AUTOBACKUP_CHECK_SECONDS: '1',
    });
    const snapshot = await waitFor(async () => {
      if (!fs.existsSync(path.join(trial.resticRepository, 'config'))) return undefined;
      return (await realSnapshots(trial.resticRepository, trial.resticPassword)).find((each) => each.tags?.join(',') === 'nextcloud,auto');
    }, 'the trial\'s automatic backup', 120_000);
    expect(snapshot.paths).toEqual([path.join(trial.root, 'var/lib/nextcloud')]);
    const token = trial.token;
    const configuration = await (await server.fetch('/graphql', {
      method: 'POST',
      token,
      json: { query: '{ backup { configuration { autobackupPeriod } } }' },
    })).json();
    expect(configuration).toEqual({ data: { backup: { configuration: { autobackupPeriod: TRIAL_AUTOBACKUP_MINUTES } } } });
  }, 180_000);
});
