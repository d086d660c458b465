import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import pullConfiguration from '../../../functions/system/pull-configuration.js';
import { createCommandRunner } from '../../../runtime/system.js';
import { call, fakeRunner, jsonRequest, makeCtx } from '../../helpers/function-call.js';
import { cloneSingleBranch, git, HERMETIC_GIT_ENV, makeOrigin, pushCommit } from '../../helpers/git-repos.js';
import { makeStandIns, standInRunner } from '../../helpers/stand-ins.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();

const pull = (system = createCommandRunner({ ...process.env, ...HERMETIC_GIT_ENV })) =>
  call(pullConfiguration, jsonRequest('GET', '/system/configuration/pull'), makeCtx(temp, { system }));

/** etc/nixos as a real clone of an origin (userdata/ inside it, as on a server). */
function cloneConfiguration(): string {
  const origin = makeOrigin(path.join(temp.root, 'remote'));
  const nixos = temp.paths.nixosConfig;
  const userdata = fs.mkdtempSync(path.join(temp.root, 'userdata-'));
  fs.renameSync(path.join(nixos, 'userdata'), path.join(userdata, 'userdata'));
  fs.rmSync(nixos, { recursive: true });
  cloneSingleBranch(origin, nixos, 'master');
  fs.renameSync(path.join(userdata, 'userdata'), path.join(nixos, 'userdata'));
  return origin;
}

describe('GET /system/configuration/pull', () => {
  it('pulls new commits into etc/nixos and answers status 0 with git\'s output', async () => {
    const origin = cloneConfiguration();
    pushCommit(origin, path.join(temp.root, 'remote'), 'master', 'flake.nix', '{ outputs = _: { }; }\n');
    const { status, body } = await pull();
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 0, message: 'Update completed successfully' });
    expect(body.data).toContain('flake.nix');
    expect(fs.readFileSync(path.join(temp.paths.nixosConfig, 'flake.nix'), 'utf8')).toBe('{ outputs = _: { }; }\n');
  });

  it('answers 500 with git\'s exit code and output when etc/nixos is not a repository', async () => {
    const { status, body } = await pull();
    expect(status).toBe(500);
    expect(body).toMatchObject({ status: 128, message: 'Something went wrong' });
    expect(body.data).toMatch(/not a git repository/i);
  });

  it('never pulls a repository around etc/nixos', async () => {
    const origin = makeOrigin(path.join(temp.root, 'remote'));
    git(temp.root, ['init', '-q', '-b', 'master']);
    git(temp.root, ['remote', 'add', 'origin', origin]);
    const { status, body } = await pull();
    expect(status).toBe(500);
    expect(body.data).toMatch(/not a git repository/i);
  });

  it('runs exactly `git pull` in etc/nixos, never changing the process\'s own folder', async () => {
    const bin = makeStandIns(path.join(temp.root, 'bin'), { git: { stdout: 'Already up to date.\n' } });
    const cwd = process.cwd();
    const { body } = await pull(standInRunner(bin));
    expect(body).toEqual({ status: 0, message: 'Update completed successfully', data: 'Already up to date.\n' });
    expect(bin.calls()).toEqual([{ command: 'git', args: ['pull'] }]);
    expect(process.cwd()).toBe(cwd);
    const system = fakeRunner();
    await pull(system);
    expect(system.calls[0]?.options?.cwd).toBe(temp.paths.nixosConfig);
  });
});
