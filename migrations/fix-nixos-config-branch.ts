// fix_nixos_config_branch: moves an etc/nixos checkout left on `rolling-testing` (app 0.4.0's bug) to `master`.
import { checkedOutBranch, gitInNixosConfig } from '../domain/nixos-config-git.js';
import type { Migration } from './migration.js';

/** Each step, in order; the clone was made with --single-branch, so the fetch refspec comes first. */
const STEPS: readonly (readonly string[])[] = [
  ['config', 'remote.origin.fetch', '+refs/heads/*:refs/remotes/origin/*'],
  ['fetch', '--all'],
  ['pull'],
  ['checkout', 'master'],
];

export const fixNixosConfigBranch: Migration = {
  id: 'fix_nixos_config_branch',
  description: 'Switch etc/nixos from the rolling-testing branch to master',
  async isNeeded(ctx) {
    const branch = checkedOutBranch(ctx.store.paths);
    if (branch !== undefined) return branch === 'rolling-testing';
    const head = await gitInNixosConfig(ctx.system, ctx.store.paths, ['rev-parse', '--abbrev-ref', 'HEAD']);
    return head.exitCode === 0 && head.stdout.trim() === 'rolling-testing';
  },
  async migrate(ctx) {
    for (const step of STEPS) {
      const result = await gitInNixosConfig(ctx.system, ctx.store.paths, step);
      // git's own output may name the remote's address; the exit code says enough for the log.
      if (result.exitCode !== 0) throw new Error(`git ${step[0]} failed with exit code ${result.exitCode}`);
    }
  },
};
