// Mutation.system: settings through the operations REST runs; rebuild, upgrade, rollback and garbage collection as jobs answered at once.
import { collectNixGarbage } from '../../domain/nix-garbage.js';
import { CONFIGURATION_ACTIONS, type ConfigurationAction } from '../../domain/system-units.js';
import type { JobView } from '../../domain/jobs/job.js';
import { changeSshSettings } from '../../functions/ssh/change-ssh-settings.js';
import { getSshSettings } from '../../functions/ssh/get-ssh-settings.js';
import { getAutoUpgrade } from '../../functions/system/get-auto-upgrade.js';
import { pullConfiguration } from '../../functions/system/pull-configuration.js';
import { rebootSystem } from '../../functions/system/reboot.js';
import { setAutoUpgrade } from '../../functions/system/set-auto-upgrade.js';
import { setTimezone } from '../../functions/system/set-timezone.js';
import type { FieldResolver, ResolverContext } from '../area.js';
import { mutationOf, type MutationReturn } from '../mutation-return.js';
import { toApiJob, type ApiJob } from './jobs.js';

type JobReturn = MutationReturn & { job: ApiJob | null };

/** Starts work as a job and answers at once with it, as upstream does; a job that cannot even be recorded is a 500. */
async function answerWithJob(rctx: ResolverContext, start: () => Promise<JobView>, startedMessage: string): Promise<JobReturn> {
  try {
    return { success: true, code: 200, message: startedMessage, job: toApiJob(await start(), rctx.ctx.jobs) };
  } catch (error) {
    rctx.ctx.log.error('job could not be started', { errorMessage: (error as Error).message });
    return { success: false, code: 500, message: `The job could not be started: ${(error as Error).message}`, job: null };
  }
}

/** rebuild / upgrade / rollback: the sp-nixos-* unit the REST routes start, followed as a job. */
function startUnit(rctx: ResolverContext, action: ConfigurationAction, startedMessage: string): Promise<JobReturn> {
  const { unit, jobType } = CONFIGURATION_ACTIONS[action];
  return answerWithJob(rctx, () => rctx.ctx.jobs.startUnitJob(jobType, unit), startedMessage);
}

async function changeTimezone(_parent: unknown, { timezone }: { timezone: string }, { ctx }: ResolverContext) {
  const result = await mutationOf(() => setTimezone(ctx, { timezone }), 'Timezone changed');
  return { ...result, timezone: result.success ? timezone : null };
}

interface AutoUpgradeInput {
  enableAutoUpgrade: boolean | null;
  allowReboot: boolean | null;
}

/** The settings as stored afterwards, whether the change was made or refused. */
async function changeAutoUpgradeSettings(_parent: unknown, { settings }: { settings: AutoUpgradeInput }, { ctx }: ResolverContext) {
  // A null setting is left as it is.
  const input = { enable: settings.enableAutoUpgrade ?? undefined, allowReboot: settings.allowReboot ?? undefined };
  const result = await mutationOf(() => setAutoUpgrade(ctx, input), 'Auto-upgrade settings changed');
  const now = getAutoUpgrade(ctx);
  return { ...result, enableAutoUpgrade: now.enable, allowReboot: now.allowReboot };
}

interface SshInput {
  enable: boolean;
  passwordAuthentication: boolean | null;
}

/** The settings as stored afterwards, whether the change was made or refused. */
async function changeSsh(_parent: unknown, { settings }: { settings: SshInput }, { ctx }: ResolverContext) {
  const input = { enable: settings.enable, passwordAuthentication: settings.passwordAuthentication ?? undefined };
  const result = await mutationOf(() => changeSshSettings(ctx, input), 'SSH settings changed');
  return { ...result, ...getSshSettings(ctx) };
}

export const systemMutationResolvers: Record<string, FieldResolver> = {
  changeTimezone,
  changeAutoUpgradeSettings,
  changeSshSettings: changeSsh,
  runSystemRebuild: (_parent, _args, rctx: ResolverContext) => startUnit(rctx, 'apply', 'Starting system rebuild'),
  runSystemUpgrade: (_parent, _args, rctx: ResolverContext) => startUnit(rctx, 'upgrade', 'Starting system upgrade'),
  // The schema's rollback answer has no job field; the job is still listed by jobs { getJobs }.
  runSystemRollback: async (_parent, _args, rctx: ResolverContext) => {
    const { job: _job, ...result } = await startUnit(rctx, 'rollback', 'Starting system rollback');
    return result;
  },
  nixCollectGarbage: (_parent, _args, rctx: ResolverContext) =>
    answerWithJob(rctx, () => rctx.ctx.jobs.startWork('collect-garbage', () => collectNixGarbage(rctx.ctx.system)), 'Garbage collector started...'),
  rebootSystem: (_parent, _args, { ctx }: ResolverContext) => mutationOf(() => rebootSystem(ctx), 'System reboot has started'),
  pullRepositoryChanges: (_parent, _args, { ctx }: ResolverContext) => mutationOf(() => pullConfiguration(ctx), 'Update completed successfully'),
};
