// GET /system/logs?unit=&lines=&cursor=: a unit's journal, newest first, paged by cursor (API 1.3).
import { z } from 'zod';
import { JOURNAL_CURSOR, readJournal } from '../../domain/journal.js';
import { isKnownLogUnit, serviceUnitName } from '../../domain/log-units.js';
import type { Ctx } from '../../kit/context.js';
import { HttpError, badRequest, internalError } from '../../core/errors.js';
import { json } from '../../kit/respond.js';
import { ErrorBody } from '../../kit/response-schemas.js';
import { parseQuery, parseWith } from '../../kit/validate.js';

export const DEFAULT_LOG_LINES = 50;
export const MAX_LOG_LINES = 1000;

export const query = z.object({
  unit: z.string().max(80).refine(isKnownLogUnit, 'is not a unit this API shows logs of'),
  lines: z
    .string()
    .regex(/^[0-9]{1,5}$/, `must be a whole number from 1 to ${MAX_LOG_LINES}`)
    .refine((value) => Number(value) >= 1 && Number(value) <= MAX_LOG_LINES, `must be a whole number from 1 to ${MAX_LOG_LINES}`)
    .optional(),
  cursor: z.string().max(200).regex(JOURNAL_CURSOR, 'is not a journal cursor').optional(),
});

const LogEntry = z.object({
  cursor: z.string(),
  time: z.string().nullable(),
  priority: z.number().int().nullable(),
  unit: z.string().nullable(),
  identifier: z.string().nullable(),
  pid: z.number().int().nullable(),
  message: z.string(),
});

const LogPage = z.object({ unit: z.string(), entries: z.array(LogEntry), nextCursor: z.string().nullable() });
export type LogPage = z.infer<typeof LogPage>;

export const responses = {
  200: {
    description: 'Journal entries, newest first; pass nextCursor as cursor for the older ones (null when there are no more)',
    schema: LogPage,
  },
  400: { description: 'Unknown unit, lines outside 1..1000, or a malformed cursor', schema: ErrorBody },
  500: { description: 'journalctl failed', schema: ErrorBody },
  503: { description: 'journalctl is not available on this server', schema: ErrorBody },
};

export type GetLogsInput = z.input<typeof query>;

/** A page of a unit's journal, newest first, older than `cursor` when given. */
export async function getLogs(ctx: Ctx, given: GetLogsInput): Promise<LogPage> {
  const input = parseWith(query, given);
  const unit = serviceUnitName(input.unit);
  const lines = input.lines === undefined ? DEFAULT_LOG_LINES : Number(input.lines);
  const read = await readJournal(ctx.system, { unit, lines, newestFirst: true, afterCursor: input.cursor });
  if (!read.ok) {
    const { exitCode, stderr } = read.result;
    if (exitCode === 127) throw new HttpError(503, { error: 'journalctl is not available on this server' });
    if (input.cursor !== undefined && /cursor/i.test(stderr)) throw badRequest('The journal does not know this cursor', 'cursor');
    ctx.log.error('journalctl failed', { unit, exitCode, stderr: stderr.slice(0, 500) });
    throw internalError('Could not read the journal');
  }
  const last = read.entries.at(-1);
  // A full page may have older entries behind it; a short page is the end of the journal.
  const nextCursor = read.entries.length === lines && last !== undefined ? last.cursor : null;
  return { unit, entries: read.entries, nextCursor };
}

export default async function getLogsEndpoint(request: Request, ctx: Ctx): Promise<Response> {
  return json(await getLogs(ctx, parseQuery(request, query)));
}
