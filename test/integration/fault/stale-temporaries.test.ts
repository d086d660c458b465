// Temporary files of a writer killed mid-write are removed when the server starts.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useServerStarts, useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();
const start = useServerStarts();

/** The pid of a process that has ended (as a killed writer's is). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('server start', () => {
  it('removes the temporary files of dead writers beside userdata.json, tokens.json and jobs.json, and keeps those of a live one', async () => {
    const folder = path.dirname(temp.paths.userdata);
    fs.mkdirSync(path.dirname(temp.paths.jobs), { recursive: true });
    const dead = deadPid();
    const stale = [
      path.join(folder, `.userdata.json.${dead}.0123456789ab.tmp`),
      path.join(folder, `.tokens.json.${dead}.abcdef012345.tmp`),
      path.join(path.dirname(temp.paths.jobs), `.jobs.json.${dead}.a1b2c3d4e5f6.tmp`),
    ];
    // This test process is alive: its (recent) temporary file may be a write under way.
    const live = path.join(folder, `.tokens.json.${process.pid}.ffffffffffff.tmp`);
    const unrelated = path.join(folder, '.userdata.json.backup');
    for (const file of [...stale, live, unrelated]) fs.writeFileSync(file, '{"half": ');

    const server = await start(temp.root);
    for (const file of stale) expect(fs.existsSync(file), file).toBe(false);
    expect(fs.existsSync(live)).toBe(true);
    expect(fs.existsSync(unrelated)).toBe(true);
    expect(server.output()).toContain('removed temporary files left by an interrupted write');
  });
});
