// The command runner loads execa on first use: commands still run, by name, with their arguments.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCommandRunner } from '../../../runtime/system.js';
import { makeStandIns, type StandInBin } from '../../helpers/stand-ins.js';

let folder: string;
let bin: StandInBin;
beforeEach(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-runner-'));
  bin = makeStandIns(folder, { systemctl: { exitCode: 3, stdout: 'inactive\n' }, reboot: {} });
});
afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

describe('createCommandRunner', () => {
  it('runs concurrent first commands, each with its own arguments and exit code', async () => {
    const runner = createCommandRunner({ ...process.env, PATH: bin.pathValue });
    const results = await Promise.all(['nginx', 'postfix'].map((unit) => runner.run('systemctl', ['is-active', unit])));
    expect(results.map((result) => [result.exitCode, result.stdout])).toEqual([[3, 'inactive\n'], [3, 'inactive\n']]);
    expect(bin.calls().map((call) => call.args).sort()).toEqual([['is-active', 'nginx'], ['is-active', 'postfix']]);
  });

  it('starts a detached command that is still run after the call returns', async () => {
    createCommandRunner({ ...process.env, PATH: bin.pathValue }).spawnDetached('reboot', []);
    await expect.poll(() => bin.calls(), { timeout: 10_000 }).toEqual([{ command: 'reboot', args: [] }]);
  });

  it('answers 127 for a program that is not there', async () => {
    const result = await createCommandRunner({ ...process.env, PATH: folder }).run('no-such-program', []);
    expect(result.exitCode).toBe(127);
  });
});
