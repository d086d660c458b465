// GraphQL area "jobs": the job list, removing a finished job, and jobUpdates (every change, over WebSocket).
import type { JobView } from '../../domain/jobs/job.js';
import { findService } from '../../domain/service-catalog.js';
import type { JobRegistry } from '../../jobs/job-registry.js';
import type { GraphqlArea, ResolverContext } from '../area.js';
import { AsyncQueue } from '../async-queue.js';
import type { MutationReturn } from '../mutation-return.js';

const typeDefs = /* GraphQL */ `
  type ApiJob {
    uid: String!
    typeId: String!
    name: String!
    description: String!
    status: String!
    statusText: String
    progress: Int
    createdAt: DateTime!
    updatedAt: DateTime!
    finishedAt: DateTime
    error: String
    result: String
  }

  type Job {
    getJobs: [ApiJob!]!
    getJob(jobId: String!): ApiJob
  }

  type JobMutations {
    removeJob(jobId: String!): GenericMutationReturn!
  }

  extend type Query {
    jobs: Job!
  }

  extend type Mutation {
    jobs: JobMutations!
    removeJob(jobId: String!): GenericMutationReturn! @deprecated(reason: "Use jobs.removeJob")
  }

  extend type Subscription {
    jobUpdates: [ApiJob!]!
  }
`;

interface JobKind {
  typeId: string;
  name: string;
  description: string;
}

/**
 * The app tells jobs apart by typeId (`system.nixos.rebuild`, `…backup…`): upstream's names for ours.
 * Upstream forgets a snapshot while the request waits, so it has no id for that job: ours is named
 * like its other backups-wide jobs (`backups.total_backup`, `backups.autobackup`).
 */
const JOB_KINDS: Record<string, JobKind> = {
  rebuild: { typeId: 'system.nixos.rebuild', name: 'Rebuild system', description: 'Applying the new system configuration (nixos-rebuild switch)' },
  upgrade: { typeId: 'system.nixos.upgrade', name: 'Upgrade system', description: 'Upgrading the system (nixos-rebuild switch --upgrade)' },
  rollback: { typeId: 'system.nixos.rollback', name: 'Rollback system', description: 'Rolling back to the previous system generation' },
  backup: { typeId: 'backups.all.backup', name: 'Backup', description: 'Backing up the server\'s data with restic' },
  restore: { typeId: 'backups.all.restore', name: 'Restore', description: 'Restoring the server\'s data from a restic snapshot' },
  forget: { typeId: 'backups.forget_snapshot', name: 'Forget snapshot', description: 'Removing a snapshot from the backup repository (restic forget --prune)' },
  'resize-volume': { typeId: 'storage.volume.resize', name: 'Resize volume', description: 'Growing a volume\'s file system to the size of its disk (resize2fs)' },
};

/** What one service's backup or restore is shown as: upstream's `services.<id>.backup` (the app reads the id from it). */
const SERVICE_JOB_KINDS: Record<string, (id: string, name: string) => JobKind> = {
  backup: (id, name) => ({ typeId: `services.${id}.backup`, name: `Backup ${name}`, description: `Backing up ${name} with restic` }),
  restore: (id, name) => ({ typeId: `services.${id}.restore`, name: `Restore ${name}`, description: `Restoring ${name} from a restic snapshot` }),
};

/**
 * How the app sees a job: its typeId, name and description. Every job answer (a mutation's, the
 * list, jobUpdates) names a job here, so the app matches a started job with its later updates.
 */
function jobKind(job: JobView, jobs: Pick<JobRegistry, 'serviceOf'>): JobKind {
  const serviceId = jobs.serviceOf(job.id);
  const ofService = serviceId === undefined ? undefined : SERVICE_JOB_KINDS[job.type];
  if (serviceId !== undefined && ofService !== undefined) return ofService(serviceId, findService(serviceId)?.displayName ?? serviceId);
  return JOB_KINDS[job.type] ?? { typeId: `api.${job.type}`, name: job.type, description: job.type };
}

/** Upstream's job states: CREATED, RUNNING, FINISHED, ERROR (ours never sits in CREATED). */
const STATUS: Record<JobView['state'], string> = { running: 'RUNNING', succeeded: 'FINISHED', failed: 'ERROR' };

export interface ApiJob {
  uid: string;
  typeId: string;
  name: string;
  description: string;
  status: string;
  statusText: string | null;
  progress: number | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  error: string | null;
  result: string | null;
}

/** A registry job as the app reads it (progress in percent; the last journal line as its status text). */
export function toApiJob(job: JobView, jobs: Pick<JobRegistry, 'serviceOf'>): ApiJob {
  const kind = jobKind(job, jobs);
  return {
    uid: job.id,
    typeId: kind.typeId,
    name: kind.name,
    description: kind.description,
    status: STATUS[job.state],
    statusText: job.log.at(-1)?.message ?? null,
    progress: job.progress === null ? null : Math.round(job.progress * 100),
    createdAt: job.startedAt,
    updatedAt: job.endedAt ?? job.startedAt,
    finishedAt: job.endedAt,
    error: job.error,
    result: null,
  };
}

async function allJobs({ ctx }: ResolverContext): Promise<ApiJob[]> {
  return (await ctx.jobs.list()).map((job) => toApiJob(job, ctx.jobs));
}

async function removeJob(_parent: unknown, { jobId }: { jobId: string }, { ctx }: ResolverContext): Promise<MutationReturn> {
  const outcome = await ctx.jobs.remove(jobId);
  if (outcome === 'removed') return { success: true, code: 200, message: 'Job removed' };
  if (outcome === 'running') return { success: false, code: 409, message: 'Job is still running; it can be removed once it has ended' };
  return { success: false, code: 404, message: 'Job not found' };
}

/** Each time a job is created or changes, the whole list again (as upstream sends it). */
function jobUpdates(_parent: unknown, _args: unknown, rctx: ResolverContext): AsyncIterable<{ jobUpdates: ApiJob[] }> {
  let unsubscribe = (): void => undefined;
  const queue = new AsyncQueue<{ jobUpdates: ApiJob[] }>(() => unsubscribe());
  // Changes come faster than the list is read: one read at a time, the latest state wins.
  let reading = false;
  let again = false;
  const read = (): void => {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    void allJobs(rctx)
      .then(
        (jobs) => queue.push({ jobUpdates: jobs }),
        () => queue.end(),
      )
      .finally(() => {
        reading = false;
        if (again) {
          again = false;
          read();
        }
      });
  };
  unsubscribe = rctx.ctx.jobs.watchAll(read, () => queue.end());
  return queue;
}

export const jobsArea: GraphqlArea = {
  typeDefs,
  resolvers: {
    Query: { jobs: () => ({}) },
    Mutation: { jobs: () => ({}), removeJob },
    Job: {
      getJobs: (_parent, _args, rctx) => allJobs(rctx),
      getJob: async (_parent, { jobId }: { jobId: string }, { ctx }) => {
        const job = await ctx.jobs.get(jobId);
        return job === undefined ? null : toApiJob(job, ctx.jobs);
      },
    },
    JobMutations: { removeJob },
    Subscription: { jobUpdates: { subscribe: jobUpdates } },
  },
};
