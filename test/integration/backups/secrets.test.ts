import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupStatusBecomes } from '../../helpers/backup-http.js';
import { PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { makeResticStandIn } from '../../helpers/restic-stand-in.js';
import { useServerStarts, useTempFolder, useTempRoot } from '../../helpers/setup.js';

const PASSWORD = 'only-for-restic-0123456789';

const temp = useTempRoot();
const scratch = useTempFolder('sp-backup-secrets-');
const start = useServerStarts();

describe('RESTIC_PASSWORD', () => {
  it('reaches restic through its environment and no other command, and never the log', async () => {
    const restic = makeResticStandIn(path.join(scratch.path, 'restic'), {
      snapshots: [{ id: 'c'.repeat(64), short_id: 'cccccccc', time: '2024-05-01T10:00:00Z' }],
    });
    // A systemctl that notes whether the password was in its environment.
    const system = path.join(scratch.path, 'system');
    const seen = path.join(system, 'seen.jsonl');
    fs.mkdirSync(system);
    fs.writeFileSync(path.join(system, 'systemctl'), `#!${process.execPath}
require('node:fs').appendFileSync(${JSON.stringify(seen)}, JSON.stringify({ args: process.argv.slice(2), password: process.env.RESTIC_PASSWORD ?? null }) + '\\n');
`, { mode: 0o755 });
    const server = await start(temp.root, {
      PATH: restic.pathWith(`${system}${path.delimiter}${process.env.PATH ?? ''}`),
      SELFPRIVACY_RESTIC_REPOSITORY: path.join(scratch.path, 'repository'),
      RESTIC_PASSWORD: PASSWORD,
    });
    await backupStatusBecomes(server, PRIMARY_TOKEN, 'INITIALIZED');
    const restore = await server.fetch('/services/restic/backup/restore', { method: 'PUT', token: PRIMARY_TOKEN, json: { backupId: 'cccccccc' } });
    expect(restore.status).toBe(200);
    await backupStatusBecomes(server, PRIMARY_TOKEN, 'INITIALIZED');

    const resticCalls = restic.calls();
    expect(resticCalls.map((c) => c.args.find((a) => ['snapshots', 'restore', 'dump'].includes(a)))).toEqual(['snapshots', 'restore', 'dump']);
    for (const call of resticCalls) {
      expect(call.password).toBe(PASSWORD);
      expect(call.args.join(' ')).not.toContain(PASSWORD);
    }
    const systemctlCalls = fs.readFileSync(seen, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(systemctlCalls.length).toBeGreaterThan(2);
    expect(systemctlCalls.filter((c) => c.password !== null)).toEqual([]);
    expect(server.output()).not.toContain(PASSWORD);
  }, 120_000);
});
