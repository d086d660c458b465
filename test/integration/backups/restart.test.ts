import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupStatus, backupStatusBecomes } from '../../helpers/backup-http.js';
import { PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { makeResticStandIn, type ResticStandIn } from '../../helpers/restic-stand-in.js';
import { waitFor } from '../../helpers/wait.js';
import { type ServerProcess } from '../../helpers/server-process.js';
import { makeStandIns } from '../../helpers/stand-ins.js';
import { useServerStarts, useTempFolder, useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();
const scratch = useTempFolder('sp-backup-restart-');
let restic: ResticStandIn;
let env: Record<string, string>;

beforeEach(() => {
  restic = makeResticStandIn(path.join(scratch.path, 'restic'), { backup: { progress: [0.2, 0.7], gate: 'backup' } });
  const systemctl = makeStandIns(path.join(scratch.path, 'system'), { systemctl: {} });
  env = { PATH: restic.pathWith(systemctl.pathValue), SELFPRIVACY_RESTIC_REPOSITORY: path.join(scratch.path, 'repository'), RESTIC_PASSWORD: 'pw' };
});
// After the servers stop (the helper below stops them first): a backup held at its gate may end.
afterEach(() => restic.open('backup'));
const start = useServerStarts();

function serve(): Promise<ServerProcess> {
  return start(temp.root, env);
}

/** restic's pid as the API recorded it in the backup job's record (jobs.json) for the next process. */
async function recordedPid(): Promise<number> {
  return waitFor(() => {
    try {
      const jobs = JSON.parse(fs.readFileSync(temp.paths.jobs, 'utf8')).jobs as Array<{ type: string; resumeData?: { pid?: number } }>;
      return jobs.find((job) => job.type === 'backup')?.resumeData?.pid;
    } catch {
      return undefined;
    }
  }, 'restic\'s pid in the job\'s record');
}

describe('a backup across an API restart', () => {
  it('is still reported as BACKING_UP by the next API process, with its progress, and settles when restic ends', async () => {
    const first = await serve();
    await backupStatusBecomes(first, PRIMARY_TOKEN, 'INITIALIZED');
    expect((await first.fetch('/services/restic/backup/create', { method: 'PUT', token: PRIMARY_TOKEN })).status).toBe(200);
    await waitFor(async () => (await backupStatus(first, PRIMARY_TOKEN)).progress === 0.7, 'progress 0.7');
    const pid = await recordedPid();
    expect(await first.stop()).toBe(0);

    const second = await serve();
    expect(await backupStatus(second, PRIMARY_TOKEN)).toEqual({ status: 'BACKING_UP', progress: 0.7, error_message: null });
    expect((await second.fetch('/services/restic/backup/create', { method: 'PUT', token: PRIMARY_TOKEN })).status).toBe(409);

    restic.open('backup');
    await waitFor(() => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    }, 'restic to end');
    await backupStatusBecomes(second, PRIMARY_TOKEN, 'INITIALIZED');
    const listed = (await (await second.fetch('/services/restic/backup/list', { token: PRIMARY_TOKEN })).json()) as any[];
    expect(listed.map((s) => s.short_id)).toEqual(restic.behaviour().snapshots.map((s) => s.short_id));
    expect(listed).toHaveLength(1);
  }, 120_000);

  it('is reported as ERROR, never a stuck BACKING_UP, when restic was killed while the API was down', async () => {
    const first = await serve();
    await backupStatusBecomes(first, PRIMARY_TOKEN, 'INITIALIZED');
    await first.fetch('/services/restic/backup/create', { method: 'PUT', token: PRIMARY_TOKEN });
    const pid = await recordedPid();
    await first.stop();
    process.kill(pid, 'SIGKILL');

    const second = await serve();
    const status = await backupStatusBecomes(second, PRIMARY_TOKEN, 'ERROR');
    expect(status.error_message).toMatch(/^The backup started at .+ ended before restic saved a snapshot; start it again$/);
    expect(restic.behaviour().snapshots).toEqual([]);
  }, 120_000);
});
