// With the real restic: a restore writes nothing outside the snapshot's tree, and never rolls back the API's own records.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { backupStatus, backupStatusBecomes } from '../../helpers/backup-http.js';
import { PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { type ServerProcess } from '../../helpers/server-process.js';
import { makeStandIns } from '../../helpers/stand-ins.js';
import { waitFor } from '../../helpers/wait.js';
import { useServerStarts, useTempFolder, useTempRoot } from '../../helpers/setup.js';

const PASSWORD = 'restore safety repository password';
const PLANTED_TOKEN = 'planted-token-of-a-local-user-0123456789abcdef';

const temp = useTempRoot();
const scratch = useTempFolder('sp-restore-safety-');
const start = useServerStarts();
let repository: string;
let server: ServerProcess;

beforeEach(async () => {
  repository = path.join(scratch.path, 'repository');
  const systemctl = makeStandIns(path.join(scratch.path, 'bin'), { systemctl: {} });
  server = await start(temp.root, { PATH: systemctl.pathValue, SELFPRIVACY_RESTIC_REPOSITORY: repository, RESTIC_PASSWORD: PASSWORD });
  await waitFor(async () => (await backupStatus(server, PRIMARY_TOKEN)).status !== 'INITIALIZING', 'the repository to be looked at');
}, 60_000);

const write = (relative: string, content: string): void => {
  const file = path.join(temp.root, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
};

async function backUp(): Promise<string> {
  const created = await server.fetch('/services/restic/backup/create', { method: 'PUT', token: PRIMARY_TOKEN });
  expect(created.status).toBe(200);
  await backupStatusBecomes(server, PRIMARY_TOKEN, 'INITIALIZED', 180_000);
  const listed = (await (await server.fetch('/services/restic/backup/list', { token: PRIMARY_TOKEN })).json()) as Array<{ short_id: string }>;
  return (listed.at(-1) as { short_id: string }).short_id;
}

/** Starts the restore and waits until it has ended; returns the status it ended in. */
async function restore(shortId: string): Promise<{ status: string; error_message: string | null }> {
  const started = await server.fetch('/services/restic/backup/restore', { method: 'PUT', token: PRIMARY_TOKEN, json: { backupId: shortId } });
  expect(started.status).toBe(200);
  return waitFor(async () => {
    const now = await backupStatus(server, PRIMARY_TOKEN);
    return now.status === 'INITIALIZED' || now.status === 'ERROR' ? now : undefined;
  }, 'the restore to end', 180_000);
}

const tokenWorks = async (token: string): Promise<boolean> => (await server.fetch('/services/restic/backup/status', { token })).status === 200;

describe('restore with the real restic', () => {
  it('does not write through a folder a local user swapped for a link to etc/nixos/userdata', async () => {
    // A user's folder, backed up holding a file named like the tokens file.
    write('var/lib/shared/tokens.json', JSON.stringify({ tokens: [{ token: PLANTED_TOKEN, name: 'planted', date: '2022-01-01 00:00:00.000000' }] }, null, 4));
    write('var/lib/nextcloud/data/alice/notes.txt', 'kept notes\n');
    const snapshot = await backUp();

    // The user swaps the folder for a link to the folder of the real tokens.json.
    fs.rmSync(path.join(temp.root, 'var/lib/shared'), { recursive: true });
    fs.symlinkSync(path.dirname(temp.paths.tokens), path.join(temp.root, 'var/lib/shared'));
    fs.writeFileSync(path.join(temp.root, 'var/lib/nextcloud/data/alice/notes.txt'), 'damaged\n');
    const tokensBefore = temp.tokensBytes();

    const ended = await restore(snapshot);
    expect(temp.tokensBytes()).toBe(tokensBefore);
    expect(await tokenWorks(PRIMARY_TOKEN)).toBe(true);
    expect(await tokenWorks(PLANTED_TOKEN)).toBe(false);
    expect(fs.lstatSync(path.join(temp.root, 'var/lib/shared')).isSymbolicLink()).toBe(true);
    // Everything else came back, and the status names what was left out.
    expect(fs.readFileSync(path.join(temp.root, 'var/lib/nextcloud/data/alice/notes.txt'), 'utf8')).toBe('kept notes\n');
    expect(ended.status).toBe('ERROR');
    expect(ended.error_message).toContain('var/lib/shared (a symbolic link stands where the backup has a folder)');
    // Nothing is left in the staging folder.
    expect(fs.existsSync(path.join(temp.paths.apiStateFolder, 'restore-staging'))).toBe(false);
  }, 300_000);

  it('keeps the audit entries made after the backup, the restore\'s own included, and leaves the audit log out of the backup', async () => {
    write('var/lib/gitea/repositories/alice/notes.git/config', '[core]\n');
    const snapshot = await backUp();
    const contents = execFileSync('restic', ['--no-cache', '-r', repository, 'ls', '--', snapshot], { env: { ...process.env, RESTIC_PASSWORD: PASSWORD }, encoding: 'utf8' });
    expect(contents).toContain('/var/lib/gitea/repositories/alice/notes.git/config');
    expect(contents).not.toContain('/var/log/selfprivacy-api');

    // A mutation after the backup: its audit line must survive the restore.
    const deleted = await server.fetch('/auth/tokens', { method: 'DELETE', token: PRIMARY_TOKEN, json: { token_name: 'Pixel_6' } });
    expect(deleted.status).toBe(200);
    const auditBefore = fs.readFileSync(temp.paths.auditLog, 'utf8');
    expect(auditBefore).toContain('"method":"DELETE","path":"/auth/tokens"');

    expect((await restore(snapshot)).status).toBe('INITIALIZED');
    const auditAfter = fs.readFileSync(temp.paths.auditLog, 'utf8');
    expect(auditAfter.startsWith(auditBefore)).toBe(true);
    expect(auditAfter).toContain('"method":"PUT","path":"/services/restic/backup/restore"');
  }, 300_000);
});
