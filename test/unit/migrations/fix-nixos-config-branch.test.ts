import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixNixosConfigBranch } from '../../../migrations/fix-nixos-config-branch.js';
import type { MigrationContext } from '../../../migrations/migration.js';
import { runMigrations } from '../../../migrations/run-migrations.js';
import { createLogger } from '../../../runtime/logger.js';
import { createCommandRunner } from '../../../runtime/system.js';
import { type CommandRunner } from '../../../core/commands.js';
import { createStore } from '../../../store/store.js';
import { cloneSingleBranch, currentBranch, git, HERMETIC_GIT_ENV, makeOrigin } from '../../helpers/git-repos.js';
import { makeStandIns, standInRunner } from '../../helpers/stand-ins.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();
let lines: string[];

function contextWith(system: CommandRunner = createCommandRunner({ ...process.env, ...HERMETIC_GIT_ENV })): MigrationContext {
  lines = [];
  const log = createLogger('debug', (line) => lines.push(line));
  return { store: createStore(temp.root, log), system, log };
}

/** etc/nixos as app 0.4.0 left it: a --single-branch clone of rolling-testing (userdata/ kept inside). */
function serverCheckout(branch: string): string {
  const origin = makeOrigin(path.join(temp.root, 'remote'));
  const nixos = temp.paths.nixosConfig;
  const keep = path.join(temp.root, 'userdata-kept');
  fs.renameSync(path.join(nixos, 'userdata'), keep);
  fs.rmSync(nixos, { recursive: true });
  cloneSingleBranch(origin, nixos, branch);
  fs.renameSync(keep, path.join(nixos, 'userdata'));
  return origin;
}

const fetchRefspec = () => git(temp.paths.nixosConfig, ['config', '--get-all', 'remote.origin.fetch']).trim();

describe('fix_nixos_config_branch', () => {
  it('moves a single-branch rolling-testing checkout to master and fixes the fetch refspec', async () => {
    serverCheckout('rolling-testing');
    expect(fetchRefspec()).toBe('+refs/heads/rolling-testing:refs/remotes/origin/rolling-testing');
    await runMigrations(contextWith(), [fixNixosConfigBranch]);
    expect(lines.join('')).not.toContain('migration failed');
    expect(currentBranch(temp.paths.nixosConfig)).toBe('master');
    expect(fetchRefspec()).toBe('+refs/heads/*:refs/remotes/origin/*');
    expect(fs.readFileSync(path.join(temp.paths.nixosConfig, 'configuration.nix'), 'utf8')).not.toContain('testing');
    expect(fs.existsSync(temp.paths.userdata)).toBe(true);
  });

  it('runs exactly these git commands, in order, in etc/nixos (asking git for the branch when .git is not a plain folder)', async () => {
    // A worktree-style `.git` file: the branch cannot be read from .git/HEAD, so git is asked.
    fs.writeFileSync(path.join(temp.paths.nixosConfig, '.git'), 'gitdir: /elsewhere/.git/worktrees/nixos\n');
    const bin = makeStandIns(path.join(temp.root, 'bin'), { git: { stdout: 'rolling-testing\n' } });
    await runMigrations(contextWith(standInRunner(bin)), [fixNixosConfigBranch]);
    expect(bin.calls().map((c) => c.args)).toEqual([
      ['rev-parse', '--abbrev-ref', 'HEAD'],
      ['config', 'remote.origin.fetch', '+refs/heads/*:refs/remotes/origin/*'],
      ['fetch', '--all'],
      ['pull'],
      ['checkout', 'master'],
    ]);
  });

  it('is not needed on master and changes nothing', async () => {
    serverCheckout('master');
    const before = fetchRefspec();
    const ctx = contextWith();
    expect(await fixNixosConfigBranch.isNeeded(ctx)).toBe(false);
    await runMigrations(ctx, [fixNixosConfigBranch]);
    expect(currentBranch(temp.paths.nixosConfig)).toBe('master');
    expect(fetchRefspec()).toBe(before);
  });

  it('is not needed when etc/nixos is not a git repository', async () => {
    expect(await fixNixosConfigBranch.isNeeded(contextWith())).toBe(false);
  });

  it('reads the branch of a plain checkout from .git/HEAD without running anything', async () => {
    serverCheckout('rolling-testing');
    const bin = makeStandIns(path.join(temp.root, 'bin'), { git: {} });
    expect(await fixNixosConfigBranch.isNeeded(contextWith(standInRunner(bin)))).toBe(true);
    expect(bin.calls()).toEqual([]);
  });

  it('is not needed when only a repository around etc/nixos is on rolling-testing', async () => {
    git(temp.root, ['init', '-q', '-b', 'rolling-testing']);
    git(temp.root, ['commit', '-q', '--allow-empty', '-m', 'outer']);
    expect(currentBranch(temp.root)).toBe('rolling-testing');
    expect(await fixNixosConfigBranch.isNeeded(contextWith())).toBe(false);
  });

  it('logs a failure and leaves the branch when the origin cannot be reached', async () => {
    const origin = serverCheckout('rolling-testing');
    fs.rmSync(origin, { recursive: true });
    await runMigrations(contextWith(), [fixNixosConfigBranch]);
    expect(currentBranch(temp.paths.nixosConfig)).toBe('rolling-testing');
    const failure = lines.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'migration failed');
    expect(failure).toMatchObject({ level: 'error', migration: 'fix_nixos_config_branch', errorMessage: expect.stringMatching(/^git fetch failed/) });
  });
});
