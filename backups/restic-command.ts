// Builds restic's argument arrays and environment: which repository, and each operation the controller runs.
import type { BackblazeAccount } from './backblaze-account.js';
import { reasonTag } from './snapshot-tags.js';

/** Why restic cannot be run at all; the message is shown as the status's error_message. */
export class ResticSetupError extends Error {
  override readonly name = 'ResticSetupError';
}

export interface ResticRepositoryInput {
  /** SELFPRIVACY_RESTIC_REPOSITORY: any repository restic accepts, replacing B2. */
  override?: string;
  /** RESTIC_PASSWORD. */
  password?: string;
  /** userdata's backblaze section, when complete. */
  account?: BackblazeAccount;
  /** root/.config/rclone/rclone.conf, handed to rclone through RCLONE_CONFIG. */
  rcloneConfig: string;
}

/** The repository and how restic reaches it; every operation starts from this. */
export interface ResticRepository {
  /** Flags naming the repository, placed before the subcommand. */
  args: string[];
  /** Environment for restic (and the rclone it starts): the password travels only here. */
  env: Record<string, string>;
  /** Values that must never appear in a message or a log. */
  secrets: string[];
  /** The B2 account behind an rclone repository: its rclone config must be in place before restic runs. */
  account?: BackblazeAccount;
}

/** A local folder needs no cache of its own (and tests should not fill ~/.cache with them). */
const LOCAL_REPOSITORY = /^(\/|local:)/;
/** One status line a second is plenty for the app and keeps the output file small on long backups. */
const PROGRESS_LINES_PER_SECOND = '1';

export function resticRepository(input: ResticRepositoryInput): ResticRepository {
  if (input.password === undefined || input.password === '') {
    throw new ResticSetupError('RESTIC_PASSWORD is not set in the API\'s environment, so restic cannot open the repository');
  }
  const env = { RESTIC_PASSWORD: input.password, RCLONE_CONFIG: input.rcloneConfig, RESTIC_PROGRESS_FPS: PROGRESS_LINES_PER_SECOND };
  if (input.override !== undefined && input.override !== '') {
    const cache = LOCAL_REPOSITORY.test(input.override) ? ['--no-cache'] : [];
    return { args: [...cache, '-r', input.override], env, secrets: [input.password] };
  }
  if (input.account === undefined) throw new ResticSetupError('Backblaze settings are not set');
  return {
    args: ['-o', 'rclone.args=serve restic --stdio', '-r', `rclone:backblaze:${input.account.bucket}/sfbackup`],
    env,
    secrets: [input.password, input.account.accountKey],
    account: input.account,
  };
}

/** The operations, each an argument array for `restic`. */
export const resticArgs = {
  catConfig: (repository: ResticRepository) => [...repository.args, 'cat', 'config'],
  init: (repository: ResticRepository) => [...repository.args, 'init'],
  // Without a lock: a listing never waits for, nor fails on, the exclusive lock of a running prune.
  snapshots: (repository: ResticRepository) => [...repository.args, '--no-lock', 'snapshots', '--json'],
  backup: (repository: ResticRepository, sources: readonly string[], excludes: readonly string[], tags: readonly string[] = []) => [
    ...repository.args, 'backup', '--json', ...tags.flatMap((tag) => ['--tag', tag]), ...excludes.flatMap((exclude) => ['--exclude', exclude]), '--', ...sources,
  ],
  /** `verify`: restic reads every restored file back and compares it with the snapshot before it ends. */
  restore: (repository: ResticRepository, snapshotId: string, target: string, excludes: readonly string[], verify = false) => [
    ...repository.args, 'restore', '--json', '--target', target, ...(verify ? ['--verify'] : []), ...excludes.flatMap((exclude) => ['--exclude', exclude]), '--', snapshotId,
  ],
  forget: (repository: ResticRepository, snapshotId: string) => [...repository.args, 'forget', '--prune', '--', snapshotId],
  /**
   * Rotation of one service's automatic snapshots. `--tag a,b` selects snapshots with both tags
   * (two --tag flags would select either); `--group-by ''` makes them one group whatever their paths.
   */
  rotate: (repository: ResticRepository, serviceId: string, keep: readonly string[]) => [
    ...repository.args, 'forget', '--tag', `${serviceId},${reasonTag('AUTO')}`, '--group-by', '', ...keep, '--prune',
  ],
  dump: (repository: ResticRepository, snapshotId: string, file: string) => [...repository.args, 'dump', '--', snapshotId, file],
};
