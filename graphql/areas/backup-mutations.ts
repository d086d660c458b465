// Mutation.backup: backups, restores, reloads and Backblaze settings through the REST units; the rest not supported.
import { storedBackblazeAccount } from '../../backups/backblaze-account.js';
import { findService } from '../../domain/service-catalog.js';
import type { Ctx } from '../../kit/context.js';
import createBackup from '../../functions/backups/create-backup.js';
import reloadBackups from '../../functions/backups/reload-backups.js';
import restoreBackup from '../../functions/backups/restore-backup.js';
import setBackblazeConfig from '../../functions/backups/set-backblaze-config.js';
import type { FieldResolver, ResolverContext } from '../area.js';
import { callFunction, mutationReturn, type FunctionCall, type MutationReturn } from '../call-function.js';
import { capturingJobLocation } from './job-of-answer.js';
import { notSupported } from './not-supported.js';
import { WHOLE_SERVER } from './snapshot-view.js';

/** No automatic backups and no forgetting here: every kind of snapshot is kept (upstream's -1). */
const KEEP_ALL = { last: -1, daily: -1, weekly: -1, monthly: -1, yearly: -1 };

/**
 * The repository as the app shows it. The encryption key is never sent: it is the server's
 * RESTIC_PASSWORD, which stays in the API's environment.
 */
export function backupConfiguration(ctx: Ctx) {
  // SELFPRIVACY_RESTIC_REPOSITORY (a local repository) replaces B2 when set, as the controller does.
  const account = ctx.settings.resticRepository === undefined ? storedBackblazeAccount(ctx.store.userdata.read()) : undefined;
  const provider = ctx.settings.resticRepository !== undefined ? 'FILE' : account !== undefined ? 'BACKBLAZE' : 'NONE';
  const { status } = ctx.backups.status();
  return {
    provider,
    encryptionKey: '',
    isInitialized: status === 'INITIALIZED' || status === 'BACKING_UP' || status === 'RESTORING',
    autobackupPeriod: null,
    autobackupQuotas: KEEP_ALL,
    locationName: account?.bucket ?? null,
    locationId: null,
  };
}

/** Runs a REST unit that starts a job, and answers with that job. */
async function startJob(unit: Parameters<typeof capturingJobLocation>[0], call: FunctionCall, okMessage: string, rctx: ResolverContext) {
  const capture = capturingJobLocation(unit);
  const outcome = await callFunction(capture.handler, rctx, call);
  return { ...mutationReturn(outcome, okMessage), job: await capture.job(rctx) };
}

/** The whole server is backed up whichever service is named: its snapshots hold every service. */
function startBackup(_parent: unknown, { serviceId }: { serviceId: string }, rctx: ResolverContext) {
  if (serviceId !== WHOLE_SERVER.id && findService(serviceId) === undefined) {
    return { success: false, code: 404, message: `Nonexistent service: ${serviceId}`, job: null };
  }
  return startJob(createBackup, { method: 'PUT', path: '/services/restic/backup/create' }, 'Backup job queued', rctx);
}

interface RepositoryInput {
  provider: string;
  locationId: string;
  locationName: string;
  login: string;
  password: string;
  localSecret: string | null;
}

async function initializeRepository(_parent: unknown, { repository }: { repository: RepositoryInput }, rctx: ResolverContext) {
  const withConfiguration = (result: MutationReturn) => ({ ...result, configuration: backupConfiguration(rctx.ctx) });
  if (repository.provider !== 'BACKBLAZE') return withConfiguration(notSupported('backups go to Backblaze B2 only'));
  if (repository.localSecret !== null) {
    return withConfiguration(notSupported('the repository password is the server\'s own (RESTIC_PASSWORD); it cannot be set by the app'));
  }
  // The REST unit validates the account, writes userdata and rclone.conf, and initialises the repository.
  const body = { accountId: repository.login, accountKey: repository.password, bucket: repository.locationName };
  const outcome = await callFunction(setBackblazeConfig, rctx, { method: 'PUT', path: '/services/restic/backblaze/config', body });
  return withConfiguration(mutationReturn(outcome, 'New Backblaze settings saved'));
}

const configurationNotSupported = (why: string): FieldResolver => (_parent, _args, { ctx }: ResolverContext) => ({
  ...notSupported(why),
  configuration: backupConfiguration(ctx),
});

export const backupMutationResolvers: Record<string, FieldResolver> = {
  initializeRepository,
  startBackup,
  totalBackup: (_parent, _args, rctx: ResolverContext) => startBackup(_parent, { serviceId: WHOLE_SERVER.id }, rctx),
  restoreBackup: (_parent, { snapshotId }: { snapshotId: string }, rctx: ResolverContext) =>
    // Both strategies restore in place here: the services are stopped, restic writes the files, they start again.
    startJob(restoreBackup, { method: 'PUT', path: '/services/restic/backup/restore', body: { backupId: snapshotId } }, 'Restore job created', rctx),
  forceSnapshotsReload: async (_parent, _args, rctx: ResolverContext) =>
    mutationReturn(await callFunction(reloadBackups, rctx, { method: 'GET', path: '/services/restic/backup/reload' }), 'Snapshots reload started'),
  removeRepository: configurationNotSupported('the repository stays; send new Backblaze settings to use another one'),
  setAutobackupPeriod: configurationNotSupported('there are no automatic backups on this server; start a backup from the app'),
  setAutobackupQuotas: configurationNotSupported('snapshots are never forgotten here, so there are no quotas to set'),
  restoreAll: (_parent, _args, _rctx) => ({ ...notSupported('restore one snapshot by its id: each holds the whole server'), job: null }),
  forgetSnapshot: () => notSupported('snapshots are kept; this server does not forget them'),
};
