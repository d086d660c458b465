// GraphQL area "logs": the journal of the units the API shows, paged by cursor, and logEntries (new entries live).
import { GraphQLError } from 'graphql';
import { JOURNAL_CURSOR } from '../../domain/journal.js';
import { unitsToRead } from '../../domain/log-slices.js';
import { ALL_LOG_UNITS, isKnownLogUnit, serviceUnitName } from '../../domain/log-units.js';
import { AsyncQueue } from '../async-queue.js';
import type { GraphqlArea, ResolverContext } from '../area.js';
import { followJournal, readLogPage, toLogEntry, type LogEntryView } from './log-entries.js';

const typeDefs = /* GraphQL */ `
  type LogEntry {
    message: String!
    timestamp: DateTime!
    priority: Int
    systemdUnit: String
    systemdSlice: String
    cursor: String!
  }

  type LogsPageMeta {
    upCursor: String
    downCursor: String
  }

  type PaginatedEntries {
    "Cursors of the first (oldest) and last (newest) entry, to ask for the next page either way."
    pageMeta: LogsPageMeta!
    "Entries oldest first."
    entries: [LogEntry!]!
  }

  type Logs {
    paginated(limit: Int! = 20, upCursor: String = null, downCursor: String = null, filterBySlice: String = null, filterByUnit: String = null): PaginatedEntries!
  }

  extend type Query {
    logs: Logs!
  }

  extend type Subscription {
    "New entries as they are written; with filterBySlice only those of that service's units (none for an unknown slice)."
    logEntries(filterBySlice: String = null): LogEntry!
  }
`;

/** Upstream's limit per page. */
export const MAX_PAGE = 50;
/** How often the live stream asks the journal for new entries. */
export const LOG_POLL_MS = 1000;

interface PageArgs {
  limit: number;
  upCursor: string | null;
  downCursor: string | null;
  filterBySlice: string | null;
  filterByUnit: string | null;
}

interface Page {
  pageMeta: { upCursor: string | null; downCursor: string | null };
  entries: LogEntryView[];
}

const badInput = (message: string): GraphQLError => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

function checkCursor(name: string, value: string | null): string | undefined {
  if (value === null) return undefined;
  if (!JOURNAL_CURSOR.test(value)) throw badInput(`${name} is not a journal cursor`);
  return value;
}

async function paginated(_parent: unknown, args: PageArgs, { ctx }: ResolverContext): Promise<Page> {
  if (!Number.isInteger(args.limit) || args.limit < 1 || args.limit > MAX_PAGE) throw badInput(`limit must be from 1 to ${MAX_PAGE}`);
  const upCursor = checkCursor('upCursor', args.upCursor);
  const downCursor = checkCursor('downCursor', args.downCursor);
  if (upCursor !== undefined && downCursor !== undefined) throw badInput('Give upCursor or downCursor, not both');
  if (args.filterByUnit !== null && !isKnownLogUnit(args.filterByUnit)) throw badInput('filterByUnit is not a unit this API shows logs of');
  const unit = args.filterByUnit === null ? null : serviceUnitName(args.filterByUnit);
  const units = unitsToRead({ unit, slice: args.filterBySlice }, ALL_LOG_UNITS);
  // An unknown slice (or one without that unit) has no entries: an empty page, not all of the journal.
  if (units.length === 0) return { pageMeta: { upCursor: null, downCursor: null }, entries: [] };
  const read = await readLogPage(ctx.system, { units, limit: args.limit, upCursor, downCursor });
  if (!read.ok) {
    const { exitCode, stderr } = read.result;
    if (exitCode === 127) throw new GraphQLError('journalctl is not available on this server');
    if ((upCursor ?? downCursor) !== undefined && /cursor/i.test(stderr)) throw badInput('The journal does not know this cursor');
    ctx.log.error('journalctl failed', { exitCode, stderr: stderr.slice(0, 500) });
    throw new GraphQLError('Could not read the journal');
  }
  const entries = read.entries.map(toLogEntry);
  return { pageMeta: { upCursor: entries[0]?.cursor ?? null, downCursor: entries.at(-1)?.cursor ?? null }, entries };
}

export const logsArea: GraphqlArea = {
  typeDefs,
  resolvers: {
    Query: { logs: () => ({}) },
    Logs: { paginated },
    Subscription: {
      logEntries: {
        subscribe: (_parent, { filterBySlice }: { filterBySlice: string | null }, { ctx }: ResolverContext) => {
          const units = unitsToRead({ unit: null, slice: filterBySlice }, ALL_LOG_UNITS);
          // Nothing to follow: a stream that stays open and quiet until the client leaves.
          return units.length === 0 ? new AsyncQueue<LogEntryView>() : followJournal(ctx.system, { units, pollMs: LOG_POLL_MS });
        },
        resolve: (entry: LogEntryView) => entry,
      },
    },
  },
};
