// The step create and restore share in 1.3: follow the backup controller's job as a job of GET /jobs.
import type { Ctx } from '../../runtime/context.js';
import { json } from '../../runtime/respond.js';

const PROGRESS_POLL_MS = 1000;

/**
 * Records the running backup or restore as a job (progress from restic's status lines, the
 * failure text when it fails) and answers as 1.2 did, with `Location: /jobs/<id>`.
 */
export async function answerWithBackupJob(ctx: Ctx, type: 'backup' | 'restore', finished: Promise<string | null>, message: string): Promise<Response> {
  const job = await ctx.jobs.startWork(type, async (report) => {
    const timer = setInterval(() => report(ctx.backups.status().progress), PROGRESS_POLL_MS);
    timer.unref();
    try {
      const failure = await finished;
      if (failure !== null) throw new Error(failure);
    } finally {
      clearInterval(timer);
    }
  });
  return json({ status: 0, message }, 200, { location: `/jobs/${job.id}` });
}
