// How many audit lines anonymous refusals may write: a few per client and per minute, the rest counted in one summary line.
import { clientKey } from './rate-limit.js';

export interface RefusalBudgetOptions {
  /** Refusals of one client written in full per window: as many as the failure limiter lets it try. */
  perClient?: number;
  /** Refusals of all clients together written in full per window. */
  perWindow?: number;
  windowMs?: number;
  /** Memory bound: clients counted one by one per window; the rest are counted together. */
  maxClients?: number;
  /** Clients named in a summary line, those with the most refusals not written. */
  topClients?: number;
  now?: () => number;
}

/** The line that stands for the refusals of a window not written one by one. */
export interface RefusalSummary {
  time: string;
  /** Start of the window the count covers. */
  since: string;
  refusalsNotWritten: number;
  /** Distinct clients among them (the ones beyond `maxClients` are not told apart). */
  clients: number;
  topClients: Array<{ clientAddress: string; count: number }>;
}

interface ClientWindow {
  /** The address as first seen, for the summary line. */
  address: string;
  written: number;
  notWritten: number;
}

/**
 * Anyone can make the API refuse a request, and each refusal used to write an audit line, so a
 * flood of them could rotate every earlier line out of the files. The budget bounds what a
 * window (a minute) of refusals writes: `perClient` lines per client (counted per IPv6 /64, as
 * the failure limiter counts), `perWindow` lines in all, and one summary line for the rest. An
 * authenticated change never goes through the budget.
 *
 * @example
 *   const budget = new RefusalBudget();
 *   for (const summary of budget.endedWindows()) write(summary);
 *   if (budget.take(clientAddress)) write(line);
 */
export class RefusalBudget {
  readonly perClient: number;
  readonly perWindow: number;
  readonly windowMs: number;
  private readonly maxClients: number;
  private readonly topClients: number;
  private readonly now: () => number;
  private windowStart = 0;
  private writtenInWindow = 0;
  /** Refusals not written of clients beyond maxClients. */
  private uncountedClientsNotWritten = 0;
  private readonly clients = new Map<string, ClientWindow>();

  constructor(options: RefusalBudgetOptions = {}) {
    this.perClient = options.perClient ?? 10;
    this.perWindow = options.perWindow ?? 60;
    this.windowMs = options.windowMs ?? 60_000;
    this.maxClients = options.maxClients ?? 10_000;
    this.topClients = options.topClients ?? 5;
    this.now = options.now ?? Date.now;
  }

  /** The summary of the window that has ended, if it held refusals not written; starts a new window then. */
  endedWindow(): RefusalSummary | null {
    const now = this.now();
    if (now < this.windowStart + this.windowMs) return null;
    const summary = this.summary(now);
    this.windowStart = now;
    this.writtenInWindow = 0;
    this.uncountedClientsNotWritten = 0;
    this.clients.clear();
    return summary;
  }

  /** Whether this refusal's line may be written; when not, it is counted for the window's summary. */
  take(clientAddress: string): boolean {
    const key = clientKey(clientAddress);
    let client = this.clients.get(key);
    if (client === undefined && this.clients.size < this.maxClients) {
      client = { address: clientAddress, written: 0, notWritten: 0 };
      this.clients.set(key, client);
    }
    if (client === undefined) {
      this.uncountedClientsNotWritten += 1;
      return false;
    }
    if (client.written < this.perClient && this.writtenInWindow < this.perWindow) {
      client.written += 1;
      this.writtenInWindow += 1;
      return true;
    }
    client.notWritten += 1;
    return false;
  }

  /** When the current window ends (ms on the budget's clock). */
  windowEnd(): number {
    return this.windowStart + this.windowMs;
  }

  /** Whether the current window holds refusals not written (a summary is due when it ends). */
  hasPendingSummary(): boolean {
    if (this.uncountedClientsNotWritten > 0) return true;
    for (const client of this.clients.values()) if (client.notWritten > 0) return true;
    return false;
  }

  private summary(now: number): RefusalSummary | null {
    const held = [...this.clients.values()].filter((client) => client.notWritten > 0);
    const total = held.reduce((sum, client) => sum + client.notWritten, 0) + this.uncountedClientsNotWritten;
    if (total === 0) return null;
    held.sort((a, b) => b.notWritten - a.notWritten);
    return {
      time: new Date(now).toISOString(),
      since: new Date(this.windowStart).toISOString(),
      refusalsNotWritten: total,
      clients: held.length + (this.uncountedClientsNotWritten > 0 ? 1 : 0),
      topClients: held.slice(0, this.topClients).map((client) => ({ clientAddress: client.address, count: client.notWritten })),
    };
  }
}
