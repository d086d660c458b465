// Mutation.backup: backups, restores, forgetting, the repository and automatic backups: the REST endpoints'
// operations where REST has the same one, else the backup controller itself (services, strategies, repository).
import { timingSafeEqual } from 'node:crypto';
import { BackblazeAccountSchema, storedBackblazeAccount } from '../../backups/backblaze-account.js';
import { QuotasSchema, type AutobackupQuotas } from '../../backups/backup-preferences.js';
import type { RestoreStrategy } from '../../backups/controller.js';
import type { JobView } from '../../domain/jobs/job.js';
import { createBackup } from '../../functions/backups/create-backup.js';
import { forgetSnapshot } from '../../functions/backups/forget-snapshot.js';
import { reloadBackups } from '../../functions/backups/reload-backups.js';
import { setAutobackupPeriod } from '../../functions/backups/set-autobackup-period.js';
import { setAutobackupQuotas } from '../../functions/backups/set-autobackup-quotas.js';
import { setBackblazeConfig } from '../../functions/backups/set-backblaze-config.js';
import type { Ctx } from '../../kit/context.js';
import { parseWith } from '../../kit/validate.js';
import type { FieldResolver, ResolverContext } from '../area.js';
import { failureOf, mutationOf, succeeded, type MutationReturn } from '../mutation-return.js';
import { toApiJob, type ApiJob } from './jobs.js';
import { notSupported } from './not-supported.js';
import { WHOLE_SERVER } from './snapshot-view.js';

/**
 * The repository as the app shows it. The encryption key is the repository password: the app
 * shows it to the owner to keep, since without it the backups cannot be restored elsewhere.
 * Only an authenticated caller reaches this resolver (the backup fields are not public).
 */
export function backupConfiguration(ctx: Ctx) {
  const { status } = ctx.backups.status();
  const configured = status !== 'NO_KEY';
  // SELFPRIVACY_RESTIC_REPOSITORY (a local repository) replaces B2 when set, as the controller does.
  const account = ctx.settings.resticRepository === undefined && configured ? storedBackblazeAccount(ctx.store.userdata.read()) : undefined;
  const provider = !configured ? 'NONE' : ctx.settings.resticRepository !== undefined ? 'FILE' : 'BACKBLAZE';
  const { autobackupPeriod, quotas } = ctx.backups.autobackupPreferences();
  return {
    provider,
    encryptionKey: configured ? ctx.settings.resticPassword ?? '' : '',
    isInitialized: status === 'INITIALIZED' || status === 'BACKING_UP' || status === 'RESTORING',
    autobackupPeriod,
    autobackupQuotas: quotas,
    locationName: account?.bucket ?? null,
    locationId: null,
  };
}

/** Runs an operation that starts a job; its HttpError becomes the failed return with no job. */
async function jobReturn(ctx: Ctx, start: () => Promise<JobView>, okMessage: string): Promise<MutationReturn & { job: ApiJob | null }> {
  try {
    return { ...succeeded(okMessage), job: toApiJob(await start(), ctx.jobs) };
  } catch (error) {
    return { ...failureOf(error), job: null };
  }
}

/** Runs an operation that changes the repository's settings and answers with the configuration after it. */
async function configurationReturn(ctx: Ctx, change: () => Promise<unknown>, okMessage: string) {
  return { ...(await mutationOf(change, okMessage)), configuration: backupConfiguration(ctx) };
}

/** The whole-server id runs REST's whole-server backup; any other names one service, which gets a snapshot of its own. */
function startBackup(_parent: unknown, { serviceId }: { serviceId: string }, { ctx }: ResolverContext) {
  if (serviceId === WHOLE_SERVER.id) return jobReturn(ctx, () => createBackup(ctx), 'Backup job queued');
  return jobReturn(ctx, () => ctx.backups.startServiceBackup(serviceId), 'Backup job queued');
}

function restoreBackup(_parent: unknown, { snapshotId, strategy }: { snapshotId: string; strategy: RestoreStrategy }, { ctx }: ResolverContext) {
  return jobReturn(ctx, () => ctx.backups.startSnapshotRestore(snapshotId, strategy), 'Restore job created');
}

interface RepositoryInput {
  provider: string;
  locationId: string;
  locationName: string;
  login: string;
  password: string;
  localSecret: string | null;
}

function sameSecret(given: string, expected: string | undefined): boolean {
  if (expected === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function initializeRepository(_parent: unknown, { repository }: { repository: RepositoryInput }, { ctx }: ResolverContext) {
  const withConfiguration = (result: MutationReturn) => ({ ...result, configuration: backupConfiguration(ctx) });
  // The repository password is the server's own: a secret the app kept from before is accepted only when it is that one.
  if (repository.localSecret !== null && !sameSecret(repository.localSecret, ctx.settings.resticPassword)) {
    return withConfiguration(notSupported('the repository password is the server\'s own (RESTIC_PASSWORD); it cannot be set by the app'));
  }
  if (ctx.settings.resticRepository !== undefined) {
    // The server's own repository (SELFPRIVACY_RESTIC_REPOSITORY) is used whatever the app names: attach it again.
    return configurationReturn(ctx, () => ctx.backups.attachConfiguredRepository(), 'Repository initialized');
  }
  if (repository.provider !== 'BACKBLAZE') return withConfiguration(notSupported('backups go to Backblaze B2 only'));
  return configurationReturn(ctx, async () => {
    const account = parseWith(BackblazeAccountSchema, { accountId: repository.login, accountKey: repository.password, bucket: repository.locationName });
    await setBackblazeConfig(ctx, account);
  }, 'New Backblaze settings saved');
}

export const backupMutationResolvers: Record<string, FieldResolver> = {
  initializeRepository,
  startBackup,
  totalBackup: (_parent, _args, rctx: ResolverContext) => startBackup(_parent, { serviceId: WHOLE_SERVER.id }, rctx),
  restoreBackup,
  forceSnapshotsReload: (_parent, _args, { ctx }: ResolverContext) => mutationOf(async () => reloadBackups(ctx), 'Snapshots reload started'),
  removeRepository: (_parent, _args, { ctx }: ResolverContext) => configurationReturn(ctx, () => ctx.backups.removeRepository(), 'Repository removed'),
  setAutobackupPeriod: (_parent, { period }: { period: number | null }, { ctx }: ResolverContext) =>
    configurationReturn(ctx, () => setAutobackupPeriod(ctx, { period }), period === null || period === 0 ? 'Automatic backups turned off' : 'Automatic backup period set'),
  setAutobackupQuotas: (_parent, { quotas }: { quotas: AutobackupQuotas }, { ctx }: ResolverContext) =>
    configurationReturn(ctx, () => setAutobackupQuotas(ctx, parseWith(QuotasSchema, quotas)), 'Autobackup quotas set'),
  restoreAll: () => ({ ...notSupported('restore each service from one of its snapshots, or the whole server from a snapshot of it'), job: null }),
  forgetSnapshot: (_parent, { snapshotId }: { snapshotId: string }, { ctx }: ResolverContext) =>
    mutationOf(() => forgetSnapshot(ctx, { snapshotId }), 'Snapshot forgotten'),
};
