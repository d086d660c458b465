// Real temporary git repositories shaped like a server's etc/nixos checkout and its origin.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** git without the machine's own configuration, with a fixed identity for commits. */
export const HERMETIC_GIT_ENV: Record<string, string> = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
  GIT_TERMINAL_PROMPT: '0',
};

export function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, env: { ...process.env, ...HERMETIC_GIT_ENV }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function commitFile(repo: string, file: string, content: string, message: string): void {
  fs.writeFileSync(path.join(repo, file), content);
  git(repo, ['add', file]);
  git(repo, ['commit', '-q', '-m', message]);
}

/**
 * A bare "origin" in `<folder>/origin.git` holding `master` and `rolling-testing`, each with its
 * own configuration.nix, like the SelfPrivacy NixOS configuration repository.
 */
export function makeOrigin(folder: string): string {
  const work = path.join(folder, 'origin-work');
  const bare = path.join(folder, 'origin.git');
  fs.mkdirSync(work, { recursive: true });
  git(work, ['init', '-q', '-b', 'master']);
  commitFile(work, 'configuration.nix', '{ }: { system.stateVersion = "22.05"; }\n', 'master');
  git(work, ['checkout', '-q', '-b', 'rolling-testing']);
  commitFile(work, 'configuration.nix', '{ }: { system.stateVersion = "22.05"; testing = true; }\n', 'rolling-testing');
  git(folder, ['clone', '-q', '--bare', work, bare]);
  fs.rmSync(work, { recursive: true, force: true });
  return bare;
}

/** Clones `origin` into `target` on `branch` only, as app 0.4.0 set servers up. */
export function cloneSingleBranch(origin: string, target: string, branch: string): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  git(path.dirname(target), ['clone', '-q', '--single-branch', '--branch', branch, origin, target]);
}

/** Adds a commit to `branch` of a bare origin (through a throw-away clone). */
export function pushCommit(origin: string, folder: string, branch: string, file: string, content: string): void {
  const work = path.join(folder, `push-${Date.now()}`);
  git(folder, ['clone', '-q', '--branch', branch, origin, work]);
  commitFile(work, file, content, `change ${file}`);
  git(work, ['push', '-q', 'origin', branch]);
  fs.rmSync(work, { recursive: true, force: true });
}

export function currentBranch(repo: string): string {
  return git(repo, ['rev-parse', '--abbrev-ref', 'HEAD']).trim();
}
