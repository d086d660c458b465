// Detaching a Backblaze repository: the account leaves userdata and rclone.conf, other remotes stay, the bucket is untouched.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeBackupHarness, type BackupHarness } from '../../helpers/backup-harness.js';
import { waitFor } from '../../helpers/wait.js';

let harness: BackupHarness;
afterEach(() => harness.cleanup());

describe('removeRepository with Backblaze settings', () => {
  it('removes the account from userdata and the [backblaze] remote from rclone.conf, and runs no restic', async () => {
    harness = makeBackupHarness({ settings: { resticRepository: undefined } });
    harness.controller.start();
    await waitFor(() => harness.controller.status().status === 'INITIALIZED', 'INITIALIZED');
    const rclone = harness.temp.paths.rcloneConfig;
    fs.writeFileSync(rclone, `[mine]\ntype = local\n\n${fs.readFileSync(rclone, 'utf8')}`);
    const calls = harness.restic.calls().length;

    await harness.controller.removeRepository();
    expect(harness.temp.readUserdata().backblaze).toBeUndefined();
    expect(fs.readFileSync(rclone, 'utf8')).toBe('[mine]\ntype = local\n');
    expect(fs.statSync(rclone).mode & 0o777).toBe(0o600);
    expect(harness.controller.status().status).toBe('NO_KEY');
    expect(harness.restic.calls()).toHaveLength(calls);
    expect(fs.existsSync(path.dirname(rclone))).toBe(true);
  });
});
