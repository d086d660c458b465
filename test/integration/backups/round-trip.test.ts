import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESTORE_STOPPED_UNITS } from '../../../backups/restore-units.js';
import { backupStatusBecomes } from '../../helpers/backup-http.js';
import { PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { resticInstalled } from '../../helpers/backup-graphql.js';
import { startServerProcess, type ServerProcess } from '../../helpers/server-process.js';
import { makeStandIns, type StandInBin } from '../../helpers/stand-ins.js';
import { makeTempRoot, type TempRoot } from '../../helpers/temp-root.js';

const PASSWORD = 'round-trip repository password';

/** Every file under var (relative path → bytes), but the API's own state, which is never backed up. */
function filesUnderVar(root: string): Map<string, Buffer> {
  const folder = path.join(root, 'var');
  const found = new Map<string, Buffer>();
  for (const entry of fs.readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const relative = path.relative(folder, path.join(entry.parentPath, entry.name));
    if (!relative.startsWith('lib/selfprivacy-api/')) found.set(relative, fs.readFileSync(path.join(folder, relative)));
  }
  return found;
}

let temp: TempRoot;
let scratch: string;
let repository: string;
let systemctl: StandInBin;
let server: ServerProcess;

beforeAll(async () => {
  if (!resticInstalled()) throw new Error('restic is not installed: apt-get install restic (see .ci/run)');
  temp = makeTempRoot();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-round-trip-'));
  repository = path.join(scratch, 'repository');
  systemctl = makeStandIns(path.join(scratch, 'bin'), { systemctl: {} });
  const write = (relative: string, content: string | Buffer, mode = 0o644): void => {
    const file = path.join(temp.root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content, { mode });
  };
  write('var/lib/nextcloud/data/alice/files/photo.jpg', randomBytes(300_000));
  write('var/lib/gitea/repositories/alice/notes.git/config', '[core]\n\tbare = true\n');
  write('var/vmail/test.tld/alice/cur/1700000000.M1.mail', 'Subject: hello\n\nkept mail\n', 0o600);
  write('var/lib/bitwarden_rs/db.sqlite3', randomBytes(50_000), 0o600);
  write('var/lib/selfprivacy-api/state-marker.json', '{"state": "at backup time"}');
  server = await startServerProcess(temp.root, {
    PATH: systemctl.pathValue,
    SELFPRIVACY_RESTIC_REPOSITORY: repository,
    RESTIC_PASSWORD: PASSWORD,
  });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  temp?.cleanup();
  if (scratch !== undefined) fs.rmSync(scratch, { recursive: true, force: true });
});

describe('backups with the real restic', () => {
  it('backs up var and userdata.json, and a restore brings back changed and deleted files byte for byte', async () => {
    // The repository did not exist: the server initialised it at start.
    expect((await backupStatusBecomes(server, PRIMARY_TOKEN, 'INITIALIZED')).error_message).toBeNull();
    expect(fs.existsSync(path.join(repository, 'config'))).toBe(true);
    const original = filesUnderVar(temp.root);
    expect([...original.keys()].sort()).toEqual([
      'domain', 'lib/bitwarden_rs/db.sqlite3', 'lib/gitea/repositories/alice/notes.git/config',
      'lib/nextcloud/data/alice/files/photo.jpg', 'vmail/test.tld/alice/cur/1700000000.M1.mail',
    ]);
    const originalUserdata = temp.userdataBytes();

    const created = await server.fetch('/services/restic/backup/create', { method: 'PUT', token: PRIMARY_TOKEN });
    expect(created.status).toBe(200);
    expect(await created.json()).toEqual({ status: 0, message: 'Backup creation has started' });
    await backupStatusBecomes(server, PRIMARY_TOKEN, 'INITIALIZED');

    const listed = (await (await server.fetch('/services/restic/backup/list', { token: PRIMARY_TOKEN })).json()) as any[];
    expect(listed).toHaveLength(1);
    const [snapshot] = listed;
    expect(snapshot.short_id).toMatch(/^[0-9a-f]{8}$/);
    expect(snapshot.paths.sort()).toEqual([path.join(temp.root, 'etc/nixos/userdata/userdata.json'), path.join(temp.root, 'var')].sort());
    // The controller's own files are not in the backup.
    const contents = execFileSync('restic', ['--no-cache', '-r', repository, 'ls', snapshot.id], { env: { ...process.env, RESTIC_PASSWORD: PASSWORD }, encoding: 'utf8' });
    expect(contents).toContain('/var/lib/nextcloud/data/alice/files/photo.jpg');
    expect(contents).toContain('/etc/nixos/userdata/userdata.json');
    expect(contents).not.toContain('/var/lib/selfprivacy-api');

    // Damage: a changed photo, a deleted mail, users gone from the settings.
    fs.writeFileSync(path.join(temp.root, 'var/lib/nextcloud/data/alice/files/photo.jpg'), 'overwritten');
    fs.rmSync(path.join(temp.root, 'var/vmail/test.tld/alice/cur/1700000000.M1.mail'));
    fs.rmSync(path.join(temp.root, 'var/lib/gitea'), { recursive: true });
    temp.writeUserdata({ ...temp.readUserdata(), users: [] });
    fs.writeFileSync(path.join(temp.root, 'var/lib/selfprivacy-api/state-marker.json'), '{"state": "now"}');

    const restore = await server.fetch('/services/restic/backup/restore', { method: 'PUT', token: PRIMARY_TOKEN, json: { backupId: snapshot.short_id } });
    expect(restore.status).toBe(200);
    await backupStatusBecomes(server, PRIMARY_TOKEN, 'INITIALIZED');

    const restored = filesUnderVar(temp.root);
    for (const [relative, bytes] of original) {
      expect(restored.get(relative)?.equals(bytes), relative).toBe(true);
    }
    expect(fs.statSync(path.join(temp.root, 'var/vmail/test.tld/alice/cur/1700000000.M1.mail')).mode & 0o777).toBe(0o600);
    expect(temp.userdataBytes()).toBe(originalUserdata);
    // The API's own state is not rolled back.
    expect(fs.readFileSync(path.join(temp.root, 'var/lib/selfprivacy-api/state-marker.json'), 'utf8')).toBe('{"state": "now"}');
    const stopAndStart = systemctl.calls().filter((c) => c.args[0] !== 'is-active').map((c) => c.args);
    expect(stopAndStart).toEqual([['stop', '--', ...RESTORE_STOPPED_UNITS], ['start', '--', ...RESTORE_STOPPED_UNITS]]);
    expect(server.output()).not.toContain(PASSWORD);
  }, 300_000);

  it('answers 404 for a snapshot id the repository does not have', async () => {
    const response = await server.fetch('/services/restic/backup/restore', { method: 'PUT', token: PRIMARY_TOKEN, json: { backupId: '0123abcd' } });
    expect(response.status).toBe(404);
  });

  it('requires a token on every backup route', async () => {
    for (const [method, route] of [['GET', '/services/restic/backup/list'], ['PUT', '/services/restic/backup/create'], ['PUT', '/services/restic/backblaze/config']]) {
      const response = await server.fetch(route as string, { method });
      expect(response.status).toBe(401);
    }
  });
});
