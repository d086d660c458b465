// A service's restore: its units only, a PRE_RESTORE snapshot first, restic's check for DOWNLOAD_VERIFY_OVERWRITE.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeBackupHarness, type BackupHarness, type BackupHarnessOptions } from '../../helpers/backup-harness.js';
import { waitFor } from '../../helpers/wait.js';

let harness: BackupHarness;
afterEach(() => harness.cleanup());

const PLEROMA_SNAPSHOT = { id: 'e'.repeat(64), short_id: 'eeeeeeee', time: '2026-11-01T10:00:00Z', tags: ['pleroma', 'explicit'], paths: ['var/lib/pleroma'] };
const systemctlCalls = () => harness.systemctl.calls().filter((c) => c.args[0] !== 'is-active').map((c) => c.args);
const resticCommands = () => harness.restic.calls().map((c) => c.args.find((arg) => ['backup', 'restore', 'forget'].includes(arg))).filter(Boolean);

async function ready(options: BackupHarnessOptions = {}): Promise<void> {
  harness = makeBackupHarness({ ...options, behaviour: { snapshots: [PLEROMA_SNAPSHOT], ...options.behaviour } });
  fs.mkdirSync(path.join(harness.temp.root, 'var/lib/pleroma'), { recursive: true });
  fs.writeFileSync(path.join(harness.temp.root, 'var/lib/pleroma/config.exs'), 'now');
  harness.controller.start();
  await waitFor(() => harness.controller.status().status === 'INITIALIZED', 'INITIALIZED');
}

async function restored(strategy: 'INPLACE' | 'DOWNLOAD_VERIFY_OVERWRITE'): Promise<{ state: string; error: string | null }> {
  const job = await harness.controller.startSnapshotRestore(PLEROMA_SNAPSHOT.short_id, strategy);
  return waitFor(async () => {
    const current = await harness.jobs.get(job.id);
    return current?.state === 'running' ? undefined : (current as { state: string; error: string | null });
  }, 'the restore job');
}

describe('restoring one service', () => {
  it('stops its units (PostgreSQL with Pleroma), snapshots its data as PRE_RESTORE, restores with --verify, starts them again', async () => {
    await ready();
    expect(await restored('DOWNLOAD_VERIFY_OVERWRITE')).toEqual(expect.objectContaining({ state: 'succeeded', error: null }));
    expect(systemctlCalls()).toEqual([['stop', '--', 'pleroma', 'postgresql'], ['start', '--', 'pleroma', 'postgresql']]);
    expect(resticCommands()).toEqual(['backup', 'restore']);
    const preRestore = harness.restic.behaviour().snapshots.at(-1);
    expect(preRestore).toMatchObject({ tags: ['pleroma', 'pre_restore'], paths: ['var/lib/pleroma'] });
    expect(harness.restic.calls().find((c) => c.args.includes('restore'))?.args).toContain('--verify');
  });

  it('does not ask restic to verify for INPLACE', async () => {
    await ready();
    expect((await restored('INPLACE')).state).toBe('succeeded');
    expect(harness.restic.calls().find((c) => c.args.includes('restore'))?.args).not.toContain('--verify');
  });

  it('restores nothing when the PRE_RESTORE snapshot fails, and starts the units again', async () => {
    await ready({ behaviour: { backup: { failWith: 'Fatal: unable to save snapshot: disk full' } } });
    const ended = await restored('DOWNLOAD_VERIFY_OVERWRITE');
    expect(ended.state).toBe('failed');
    expect(ended.error).toMatch(/^Nothing was restored: the snapshot of the current data failed first/);
    expect(resticCommands()).toEqual(['backup']);
    expect(systemctlCalls()).toEqual([['stop', '--', 'pleroma', 'postgresql'], ['start', '--', 'pleroma', 'postgresql']]);
    expect(fs.readFileSync(path.join(harness.temp.root, 'var/lib/pleroma/config.exs'), 'utf8')).toBe('now');
  });
});
