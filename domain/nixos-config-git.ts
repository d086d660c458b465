// Runs git in the NixOS configuration checkout (etc/nixos) and never in a repository above it.
import fs from 'node:fs';
import path from 'node:path';
import type { CommandRunner, RunResult } from '../core/commands.js';
import type { ServerPaths } from '../store/server-paths.js';

const GIT_TIMEOUT_MS = 5 * 60_000;

export function gitInNixosConfig(system: CommandRunner, paths: ServerPaths, args: readonly string[]): Promise<RunResult> {
  return system.run('git', args, {
    cwd: paths.nixosConfig,
    timeoutMs: GIT_TIMEOUT_MS,
    env: {
      // When etc/nixos is not a checkout, git must fail rather than climb to a repository around it.
      GIT_CEILING_DIRECTORIES: path.dirname(paths.nixosConfig),
      // No one is there to type a password: fail instead of waiting for one.
      GIT_TERMINAL_PROMPT: '0',
    },
  });
}

/**
 * The branch checked out in etc/nixos, read from `.git/HEAD` so that the check at every start
 * spawns no process: null when etc/nixos is not a checkout, undefined when HEAD is detached or
 * `.git` is not a plain folder (a worktree's `gitdir:` file) — then ask git.
 */
export function checkedOutBranch(paths: ServerPaths): string | null | undefined {
  let head: string;
  try {
    head = fs.readFileSync(path.join(paths.nixosConfig, '.git', 'HEAD'), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !fs.existsSync(path.join(paths.nixosConfig, '.git'))) return null;
    return undefined;
  }
  return /^ref: refs\/heads\/(\S+)\s*$/.exec(head)?.[1];
}
