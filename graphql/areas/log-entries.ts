// Journal entries for GraphQL: the app's LogEntry, pages by cursor, and the live stream of new entries.
import { readJournal, type JournalEntry, type JournalQuery, type JournalRead } from '../../domain/journal.js';
import { sliceOfUnit } from '../../domain/log-slices.js';
import type { CommandRunner } from '../../core/commands.js';
import { AsyncQueue } from '../async-queue.js';

export interface LogEntryView {
  message: string;
  timestamp: string;
  priority: number | null;
  systemdUnit: string | null;
  /** The app's slice of the service whose unit wrote the entry (domain/log-slices.ts). */
  systemdSlice: string | null;
  cursor: string;
}

export function toLogEntry(entry: JournalEntry): LogEntryView {
  return {
    message: entry.message,
    // An entry without a readable time still keeps its place (and cursor) in the page.
    timestamp: entry.time ?? new Date(0).toISOString(),
    priority: entry.priority,
    systemdUnit: entry.unit,
    systemdSlice: sliceOfUnit(entry.unit),
    cursor: entry.cursor,
  };
}

export interface PageRequest {
  units: readonly string[];
  limit: number;
  /** Entries newer than this one. */
  upCursor?: string;
  /** Entries older than this one. */
  downCursor?: string;
}

/**
 * A page oldest first, as upstream gives it: the newest `limit` entries, or the `limit` entries
 * just older than downCursor, or just newer than upCursor. journalctl reads from the cursor in
 * the direction of its output, so older pages are read newest first and turned round.
 */
export async function readLogPage(system: CommandRunner, page: PageRequest): Promise<JournalRead> {
  const query: JournalQuery =
    page.upCursor !== undefined
      ? { unit: page.units, lines: page.limit, newestFirst: false, afterCursor: page.upCursor }
      : { unit: page.units, lines: page.limit, newestFirst: true, afterCursor: page.downCursor };
  const read = await readJournal(system, query);
  if (read.ok && query.newestFirst) read.entries.reverse();
  return read;
}

export interface LogStreamOptions {
  /** The filter: the units whose entries are followed. Subscribers with the same filter share one follower. */
  units: readonly string[];
  /** How often the journal is asked for new entries. */
  pollMs: number;
  /** Entries read per poll at most; a burst beyond it shows its newest entries. */
  batch?: number;
  now?: () => Date;
}

/** One journal follower and the subscribers it feeds. */
interface Follower {
  subscribers: Set<AsyncQueue<LogEntryView>>;
  stop(): void;
}

// Per command runner (one per server; each test has its own), then per filter and poll.
const followers = new WeakMap<CommandRunner, Map<string, Follower>>();

/**
 * New journal entries as they are written, oldest first, until the subscriber leaves. Every
 * subscriber with the same filter is fed by one follower, so a hundred subscriptions run the
 * journal reader as often as one does; the follower stops when its last subscriber leaves.
 */
export function followJournal(system: CommandRunner, options: LogStreamOptions): AsyncQueue<LogEntryView> {
  const batch = options.batch ?? 200;
  let byFilter = followers.get(system);
  if (byFilter === undefined) {
    byFilter = new Map();
    followers.set(system, byFilter);
  }
  const key = JSON.stringify([[...options.units].sort(), options.pollMs, batch]);
  let follower = byFilter.get(key);
  if (follower === undefined) {
    const created = startFollower(system, options, batch, () => byFilter.delete(key));
    byFilter.set(key, created);
    follower = created;
  }
  const shared = follower;
  const queue = new AsyncQueue<LogEntryView>(() => {
    shared.subscribers.delete(queue);
    if (shared.subscribers.size === 0) shared.stop();
  }, batch);
  shared.subscribers.add(queue);
  return queue;
}

/**
 * Polls the journal from the last entry seen (from its start while it had none) and hands each
 * new entry to every subscriber. journalctl missing ends every subscriber.
 */
function startFollower(system: CommandRunner, options: LogStreamOptions, batch: number, forget: () => void): Follower {
  const since = (options.now ?? (() => new Date()))();
  let cursor: string | undefined;
  let polling = false;
  let started = false;
  const follower: Follower = {
    subscribers: new Set(),
    stop() {
      clearInterval(timer);
      forget();
    },
  };
  const endAll = (): void => {
    follower.stop();
    for (const subscriber of [...follower.subscribers]) subscriber.end();
  };
  const poll = async (): Promise<void> => {
    if (polling) return;
    polling = true;
    try {
      if (!started) {
        // The newest entry marks where the stream starts; nothing older is sent.
        const tail = await readJournal(system, { unit: options.units, lines: 1, newestFirst: true });
        started = true;
        if (tail.ok) cursor = tail.entries[0]?.cursor;
        else if (tail.result.exitCode === 127) endAll();
        return;
      }
      const read = await readJournal(system, {
        unit: options.units,
        lines: batch,
        newestFirst: false,
        ...(cursor === undefined ? { since } : { afterCursor: cursor }),
      });
      if (!read.ok) {
        if (read.result.exitCode === 127) endAll();
        return;
      }
      for (const entry of read.entries) {
        if (entry.cursor === cursor) continue;
        const view = toLogEntry(entry);
        for (const subscriber of follower.subscribers) subscriber.push(view);
        cursor = entry.cursor;
      }
    } finally {
      polling = false;
    }
  };
  const timer = setInterval(() => void poll(), options.pollMs);
  timer.unref();
  void poll();
  return follower;
}
