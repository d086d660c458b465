// Automatic backups on schedule (never twice, also across a restart) and their rotation by the quotas, with the real restic.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupStatusBecomes } from '../../helpers/backup-http.js';
import { backupOperation, noJobRunning, realRestic, realSnapshots, resticInstalled, type RealSnapshot } from '../../helpers/backup-graphql.js';
import { PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { startServerProcess, type ServerProcess } from '../../helpers/server-process.js';
import { makeStandIns, type StandInBin } from '../../helpers/stand-ins.js';
import { makeTempRoot, type TempRoot } from '../../helpers/temp-root.js';
import { waitFor } from '../../helpers/wait.js';

const PASSWORD = 'autobackup repository password 91c2';

let temp: TempRoot;
let scratch: string;
let repository: string;
let systemctl: StandInBin;
let server: ServerProcess;

const autoSnapshots = async (service: string): Promise<RealSnapshot[]> =>
  (await realSnapshots(repository, PASSWORD)).filter((each) => each.tags?.includes(service) && each.tags.includes('auto'));
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function start(): Promise<ServerProcess> {
  return startServerProcess(temp.root, {
    PATH: systemctl.pathValue,
    SELFPRIVACY_RESTIC_REPOSITORY: repository,
    RESTIC_PASSWORD: PASSWORD,
    // Looked at every second, so several checks pass within the test.
    SELFPRIVACY_AUTOBACKUP_CHECK_SECONDS: '1',
  });
}

beforeAll(async () => {
  if (!resticInstalled()) throw new Error('restic is not installed: apt-get install restic');
  temp = makeTempRoot();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-autobackup-'));
  repository = path.join(scratch, 'repository');
  systemctl = makeStandIns(path.join(scratch, 'bin'), { systemctl: {} });
  // Nextcloud is switched on in the example userdata, Gitea off: only Nextcloud is backed up automatically.
  for (const folder of ['var/lib/nextcloud/data', 'var/lib/gitea/repositories']) {
    fs.mkdirSync(path.join(temp.root, folder), { recursive: true });
    fs.writeFileSync(path.join(temp.root, folder, 'file'), folder);
  }
  server = await start();
  await backupStatusBecomes(server, PRIMARY_TOKEN, 'INITIALIZED');
}, 60_000);

afterAll(async () => {
  await server?.stop();
  temp?.cleanup();
  if (scratch !== undefined) fs.rmSync(scratch, { recursive: true, force: true });
});

describe('automatic backups with the real restic', () => {
  it('backs up each switched-on service once the period is set, and not again within it, also across a restart', async () => {
    await pause(2500);
    expect((await realSnapshots(repository, PASSWORD))).toEqual([]);
    const { setAutobackupPeriod } = await backupOperation(server, 'SetAutobackupPeriod', { period: 60 });
    expect(setAutobackupPeriod).toMatchObject({ success: true, configuration: { autobackupPeriod: 60 } });

    await waitFor(async () => (await autoSnapshots('nextcloud')).length === 1, 'the automatic backup of nextcloud', 120_000);
    await noJobRunning(server);
    const listed = (await backupOperation(server, 'AllBackupSnapshots')).allSnapshots;
    expect(listed.map((each: any) => [each.service.id, each.reason])).toEqual([['nextcloud', 'AUTO']]);
    await pause(3000);
    expect(await realSnapshots(repository, PASSWORD)).toHaveLength(1);

    await server.stop();
    server = await start();
    await backupStatusBecomes(server, PRIMARY_TOKEN, 'INITIALIZED');
    await pause(3000);
    expect(await realSnapshots(repository, PASSWORD)).toHaveLength(1);
    expect((await backupOperation(server, 'BackupConfiguration')).configuration.autobackupPeriod).toBe(60);

    const off = (await backupOperation(server, 'SetAutobackupPeriod', { period: null })).setAutobackupPeriod;
    expect(off.configuration.autobackupPeriod).toBeNull();
  }, 240_000);

  it('rotates the automatic snapshots of each service by the quotas; explicit and other services\' ones are kept', async () => {
    const source = path.join(temp.root, 'var/lib/nextcloud');
    /** A backup made `daysAgo` days ago at `hour` (restic reads --time in local time); gives its short id. */
    const backup = async (tags: string, daysAgo: number, hour: string): Promise<string> => {
      const day = new Date(Date.now() - daysAgo * 86_400_000);
      const date = `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
      const output = await realRestic(repository, PASSWORD, ['backup', '--json', '--tag', tags, '--time', `${date} ${hour}`, source]);
      return (JSON.parse(output.trim().split('\n').at(-1) as string) as { snapshot_id: string }).snapshot_id.slice(0, 8);
    };
    // Earlier automatic backups of nextcloud, one a day for five days, two on the day before today.
    const made = new Map<string, string>();
    for (const daysAgo of [5, 4, 3, 2, 1]) made.set(`${daysAgo} days ago`, await backup('nextcloud,auto', daysAgo, '10:00:00'));
    made.set('yesterday evening', await backup('nextcloud,auto', 1, '18:00:00'));
    await backup('nextcloud,explicit', 40, '10:00:00');
    await backup('gitea,auto', 40, '10:00:00');
    const [today] = await autoSnapshots('nextcloud').then((all) => all.filter((each) => ![...made.values()].includes(each.short_id)));

    const quotas = { last: 0, daily: 3, weekly: 0, monthly: 0, yearly: 0 };
    const { setAutobackupQuotas } = await backupOperation(server, 'setAutobackupQuotas', { quotas });
    expect(setAutobackupQuotas).toMatchObject({ success: true, configuration: { autobackupQuotas: quotas } });

    // The newest of each of the three latest days: today's, yesterday evening's, the one of two days ago.
    await waitFor(async () => (await autoSnapshots('nextcloud')).length === 3, 'rotation', 120_000);
    const kept = (await autoSnapshots('nextcloud')).map((each) => each.short_id).sort();
    expect(kept).toEqual([today?.short_id, made.get('yesterday evening'), made.get('2 days ago')].sort());
    const others = (await realSnapshots(repository, PASSWORD)).filter((each) => !each.tags?.includes('auto') || each.tags.includes('gitea'));
    expect(others.map((each) => each.tags?.join(',')).sort()).toEqual(['gitea,auto', 'nextcloud,explicit']);
  }, 240_000);
});
