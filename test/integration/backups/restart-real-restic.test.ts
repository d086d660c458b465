// A real restic backup across an API restart: GET /jobs/{id} and the backup status tell the same story throughout.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { backupStatus, backupStatusBecomes, type BackupStatusBody } from '../../helpers/backup-http.js';
import { PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { type ServerProcess } from '../../helpers/server-process.js';
import { makeStandIns } from '../../helpers/stand-ins.js';
import { waitFor } from '../../helpers/wait.js';
import { useServerStarts, useTempFolder, useTempRoot } from '../../helpers/setup.js';

const PASSWORD = 'restart repository password';
/** 24 MB of random data at restic's upload limit of 1 MiB/s: some 20 s of backup, time enough to restart the API in it. */
const DATA_BYTES = 24_000_000;
const UPLOAD_LIMIT_KIB = '1024';

interface JobBody {
  id: string;
  type: string;
  state: 'running' | 'succeeded' | 'failed';
  progress: number | null;
  error: string | null;
}

const temp = useTempRoot();
const scratch = useTempFolder('sp-real-restart-');
let env: Record<string, string>;
const start = useServerStarts();

beforeEach(() => {
  const data = path.join(temp.root, 'var/lib/nextcloud/data/alice/files');
  fs.mkdirSync(data, { recursive: true });
  for (let part = 0; part < 4; part += 1) fs.writeFileSync(path.join(data, `video-${part}.bin`), randomBytes(DATA_BYTES / 4));
  // The real restic, its upload slowed down (its own --limit-upload) so that the backup is still running at the restart.
  const slowRestic = path.join(scratch.path, 'restic-bin');
  fs.mkdirSync(slowRestic);
  const realRestic = ['/usr/bin/restic', '/usr/local/bin/restic', '/run/current-system/sw/bin/restic'].find((candidate) => fs.existsSync(candidate));
  if (realRestic === undefined) throw new Error('restic is not installed: apt-get install restic (see .ci/run)');
  fs.writeFileSync(path.join(slowRestic, 'restic'), `#!/bin/sh\nexec ${realRestic} --limit-upload ${UPLOAD_LIMIT_KIB} "$@"\n`, { mode: 0o755 });
  const systemctl = makeStandIns(path.join(scratch.path, 'system'), { systemctl: {} });
  env = {
    PATH: `${slowRestic}${path.delimiter}${systemctl.pathValue}`,
    SELFPRIVACY_RESTIC_REPOSITORY: path.join(scratch.path, 'repository'),
    RESTIC_PASSWORD: PASSWORD,
  };
});

function serve(): Promise<ServerProcess> {
  return start(temp.root, env);
}

async function getJob(server: ServerProcess, id: string): Promise<JobBody> {
  const response = await server.fetch(`/jobs/${id}`, { token: PRIMARY_TOKEN });
  expect(response.status).toBe(200);
  return (await response.json()) as JobBody;
}

/** The status a REST client must see while the job is as given. */
function statusOf(job: JobBody): BackupStatusBody {
  if (job.state === 'running') return { status: 'BACKING_UP', progress: job.progress ?? 0, error_message: null };
  if (job.state === 'succeeded') return { status: 'INITIALIZED', progress: 0, error_message: null };
  return { status: 'ERROR', progress: 0, error_message: job.error };
}

/**
 * Reads the job, the status, then the job again, and checks the status matches the job as it was
 * just before or just after (the backup moves on between two requests; both come from one record).
 * Gives the later job.
 */
async function pollAgreeing(server: ServerProcess, id: string): Promise<JobBody> {
  const before = await getJob(server, id);
  const status = await backupStatus(server, PRIMARY_TOKEN);
  const after = await getJob(server, id);
  const between = before.state === 'running' && after.state === 'running' && status.status === 'BACKING_UP'
    && status.progress >= (before.progress ?? 0) && status.progress <= (after.progress ?? 0);
  if (!between) expect([statusOf(before), statusOf(after)]).toContainEqual(status);
  return after;
}

describe('a real restic backup across an API restart', () => {
  it('keeps GET /jobs/{id} and the backup status in agreement at every poll, before, across and after the restart', async () => {
    const first = await serve();
    // A configured repository that does not exist yet is created at start.
    await backupStatusBecomes(first, PRIMARY_TOKEN, 'INITIALIZED');
    const created = await first.fetch('/services/restic/backup/create', { method: 'PUT', token: PRIMARY_TOKEN });
    expect(created.status).toBe(200);
    const location = created.headers.get('location') ?? '';
    expect(location).toMatch(/^\/jobs\/[0-9a-f-]{36}$/);
    const id = location.slice('/jobs/'.length);

    // Until restic reports progress: it runs, and its pid is in the job's record.
    await waitFor(async () => {
      const job = await pollAgreeing(first, id);
      expect(job.state).toBe('running');
      return (job.progress ?? 0) > 0;
    }, 'restic\'s first progress', 60_000);
    expect(await first.stop()).toBe(0);

    const second = await serve();
    const resumed = await pollAgreeing(second, id);
    // The backup outlived the first API process and is still followed, not marked failed.
    expect(resumed.state).toBe('running');
    let polls = 0;
    const ended = await waitFor(async () => {
      polls += 1;
      const job = await pollAgreeing(second, id);
      return job.state === 'running' ? undefined : job;
    }, 'the backup to end', 120_000);
    expect(polls).toBeGreaterThan(1);
    expect(ended).toMatchObject({ type: 'backup', state: 'succeeded', error: null });
    expect(await backupStatus(second, PRIMARY_TOKEN)).toEqual({ status: 'INITIALIZED', progress: 0, error_message: null });
    const listed = (await (await second.fetch('/services/restic/backup/list', { token: PRIMARY_TOKEN })).json()) as Array<{ short_id: string }>;
    expect(listed).toHaveLength(1);
    // One record of the backup, as /jobs lists it.
    const jobs = (await (await second.fetch('/jobs', { token: PRIMARY_TOKEN })).json()) as JobBody[];
    expect(jobs.filter((job) => job.type === 'backup').map((job) => [job.id, job.state])).toEqual([[id, 'succeeded']]);
  }, 240_000);
});
