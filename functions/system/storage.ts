// GET /system/storage: space on each real filesystem and the size of each service's data (API 1.3).
import { z } from 'zod';
import { LOW_SPACE_RATIO } from '../../domain/mount-table.js';
import type { StorageReport } from '../../domain/storage-monitor.js';
import type { Ctx } from '../../kit/context.js';
import { HttpError } from '../../core/errors.js';
import { json } from '../../kit/respond.js';
import { ErrorBody } from '../../kit/response-schemas.js';

const Filesystem = z.object({
  mountPoint: z.string(),
  device: z.string(),
  type: z.string(),
  totalBytes: z.number().int().nullable(),
  usedBytes: z.number().int().nullable(),
  freeBytes: z.number().int().nullable().describe('Space left for services (df\'s "Avail")'),
  low: z.boolean().describe(`Under ${LOW_SPACE_RATIO * 100}% free (as df's Use%: free over used plus free)`),
  error: z.string().optional().describe('Why the numbers are null'),
});

const ServiceSize = z.object({
  service: z.string(),
  folders: z.array(z.string()),
  bytes: z.number().int().nullable().describe('Bytes on disk; null until first measured or when a folder is unreadable'),
});

export const responses = {
  200: {
    description: 'Filesystems measured now; service sizes from a background measurement (computing is true while one runs)',
    schema: z.object({
      filesystems: z.array(Filesystem),
      services: z.array(ServiceSize),
      computing: z.boolean(),
      sizesMeasuredAt: z.string().nullable(),
    }),
  },
  503: { description: 'The mount table cannot be read', schema: ErrorBody },
};

/** The storage report; a mount table that cannot be read is a 503. */
export async function getStorage(ctx: Ctx): Promise<StorageReport> {
  try {
    return await ctx.storage.report();
  } catch (error) {
    ctx.log.error('storage report failed', { code: (error as NodeJS.ErrnoException).code ?? 'unknown' });
    throw new HttpError(503, { error: 'The mount table cannot be read' });
  }
}

export default async function getStorageEndpoint(_request: Request, ctx: Ctx): Promise<Response> {
  return json(await getStorage(ctx));
}
