import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import backupStatus from '../../../functions/backups/backup-status.js';
import setBackblazeConfig from '../../../functions/backups/set-backblaze-config.js';
import { createLogger } from '../../../runtime/logger.js';
import { call, jsonRequest } from '../../helpers/function-call.js';
import { makeBackupHarness, type BackupHarness } from '../../helpers/backup-harness.js';
import { waitFor } from '../../helpers/wait.js';

let harness: BackupHarness;
let logLines: string[];
afterEach(() => harness.cleanup());

const ACCOUNT = { accountId: '0031a2b3c4d5e6f0000000009', accountKey: 'K003xNewApplicationKey/+=abc', bucket: 'my-new-bucket' };

function setup(options: Parameters<typeof makeBackupHarness>[0] = {}): void {
  logLines = [];
  harness = makeBackupHarness({ settings: { resticRepository: undefined }, log: createLogger('debug', (line) => logLines.push(line)), ...options });
}

const configure = (body: unknown) => call(setBackblazeConfig, jsonRequest('PUT', '/services/restic/backblaze/config', { body }), harness.ctx);
const status = async (): Promise<any> => (await call(backupStatus, jsonRequest('GET', '/services/restic/backup/status'), harness.ctx)).body;

describe('PUT /services/restic/backblaze/config', () => {
  it('saves the account in userdata and rclone.conf (0600), then initialises the new repository', async () => {
    setup({ behaviour: { repositoryExists: false } });
    harness.controller.start();
    const before = harness.temp.readUserdata();

    const { status: code, body } = await configure(ACCOUNT);
    expect(code).toBe(200);
    expect(body).toBe('New Backblaze settings saved');
    expect(harness.temp.readUserdata()).toEqual({ ...before, backblaze: { ...before.backblaze, ...ACCOUNT } });
    expect(fs.readFileSync(harness.temp.paths.rcloneConfig, 'utf8')).toBe(
      `[backblaze]\ntype = b2\naccount = ${ACCOUNT.accountId}\nkey = ${ACCOUNT.accountKey}\n`,
    );
    expect(fs.statSync(harness.temp.paths.rcloneConfig).mode & 0o777).toBe(0o600);

    await waitFor(async () => (await status()).status === 'INITIALIZED', 'the new repository to be initialised');
    const init = harness.restic.calls().find((c) => c.args.includes('init'));
    expect(init?.args).toEqual(['-o', 'rclone.args=serve restic --stdio', '-r', 'rclone:backblaze:my-new-bucket/sfbackup', 'init']);
    for (const each of harness.restic.calls()) expect(each.args.join(' ')).not.toContain(ACCOUNT.accountKey);
    expect(logLines.join('\n')).not.toContain(ACCOUNT.accountKey);
  });

  it('keeps the other remotes of an existing rclone.conf', async () => {
    setup();
    fs.mkdirSync(harness.temp.paths.rcloneConfig.replace(/\/[^/]+$/, ''), { recursive: true });
    fs.writeFileSync(harness.temp.paths.rcloneConfig, '[backblaze]\ntype = b2\naccount = old\nkey = old\n\n[mine]\ntype = sftp\nhost = example.org\n');
    await configure(ACCOUNT);
    expect(fs.readFileSync(harness.temp.paths.rcloneConfig, 'utf8')).toBe(
      `[mine]\ntype = sftp\nhost = example.org\n\n[backblaze]\ntype = b2\naccount = ${ACCOUNT.accountId}\nkey = ${ACCOUNT.accountKey}\n`,
    );
  });

  it('answers 400 naming each missing field, and changes nothing', async () => {
    setup();
    const before = harness.temp.userdataBytes();
    for (const field of ['accountId', 'accountKey', 'bucket'] as const) {
      const { [field]: _missing, ...body } = ACCOUNT;
      const result = await configure(body);
      expect(result.status).toBe(400);
      expect(result.body.field).toBe(field);
    }
    expect((await configure(undefined)).status).toBe(400);
    expect(harness.temp.userdataBytes()).toBe(before);
    expect(fs.existsSync(harness.temp.paths.rcloneConfig)).toBe(false);
  });

  it('answers 400 for values that could break out of rclone.conf or the repository name, without echoing the key', async () => {
    setup();
    const before = harness.temp.userdataBytes();
    const cases: Array<[Record<string, string>, string]> = [
      [{ ...ACCOUNT, accountKey: 'secret\n[evil]\ntype = local' }, 'accountKey'],
      [{ ...ACCOUNT, accountId: 'id with spaces' }, 'accountId'],
      [{ ...ACCOUNT, bucket: 'bucket/../other' }, 'bucket'],
      [{ ...ACCOUNT, bucket: 'b' }, 'bucket'],
    ];
    for (const [body, field] of cases) {
      const result = await configure(body);
      expect(result.status).toBe(400);
      expect(result.body.field).toBe(field);
      expect(JSON.stringify(result.body)).not.toContain('secret');
    }
    expect(harness.temp.userdataBytes()).toBe(before);
  });
});
