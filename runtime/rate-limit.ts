// Brute-force protection: a client with too many failed logins in a minute gets 429 for a while.
import { isIP } from 'node:net';
import { HttpError } from '../core/errors.js';

export interface FailureLimiterOptions {
  /** Failures allowed in one window; the next attempt is refused. */
  maxFailures?: number;
  windowMs?: number;
  /** Memory bound: beyond this many tracked clients the least recently failing one is forgotten. */
  maxClients?: number;
  now?: () => number;
}

/**
 * Counts failures per client in a sliding window. Each client keeps at most `maxFailures`
 * timestamps and at most `maxClients` clients are kept, so memory stays bounded whatever an
 * attacker sends.
 *
 * @example
 *   const limiter = new FailureLimiter();
 *   limiter.assertAllowed(client); // throws 429 with Retry-After when blocked
 *   if (failed) limiter.recordFailure(client);
 */
export class FailureLimiter {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly maxClients: number;
  private readonly now: () => number;
  /** Client key → timestamps of its recent failures, oldest first; Map order = least recent first. */
  private readonly failures = new Map<string, number[]>();

  constructor(options: FailureLimiterOptions = {}) {
    this.maxFailures = options.maxFailures ?? 10;
    this.windowMs = options.windowMs ?? 60_000;
    this.maxClients = options.maxClients ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  get trackedClients(): number {
    return this.failures.size;
  }

  /** Seconds until `client` may try again; 0 when it is not blocked. */
  retryAfterSeconds(client: string): number {
    const recent = this.recentFailures(clientKey(client));
    if (recent.length < this.maxFailures) return 0;
    // Blocked until the oldest failure that counts leaves the window.
    const oldest = recent[recent.length - this.maxFailures] as number;
    return Math.max(1, Math.ceil((oldest + this.windowMs - this.now()) / 1000));
  }

  /** The 429 with Retry-After for a `client` that has used up its failures; null when it may try. */
  blockedAnswer(client: string): HttpError | null {
    const seconds = this.retryAfterSeconds(client);
    if (seconds === 0) return null;
    return new HttpError(429, { error: 'Too many failed attempts; try again later' }, { 'retry-after': String(seconds) });
  }

  /** Throws 429 with Retry-After when `client` has used up its failures. */
  assertAllowed(client: string): void {
    const blocked = this.blockedAnswer(client);
    if (blocked !== null) throw blocked;
  }

  recordFailure(client: string): void {
    this.recordFailures(client, 1);
  }

  /**
   * Charges `count` guesses to `client` before they are tried, as failures: null when charged, else
   * the 429 (nothing charged). Counting before the guesses run is what keeps concurrent requests
   * from all passing the check while none has failed yet; `forgive` gives back those that were right.
   */
  charge(client: string, count: number): HttpError | null {
    if (count <= 0) return null;
    const recent = this.recentFailures(clientKey(client));
    const excess = recent.length + count - this.maxFailures;
    if (excess > 0) {
      // Room comes back as the oldest failures leave the window; more than the limit in one request never fits.
      const freedAt = excess <= recent.length ? (recent[excess - 1] as number) + this.windowMs : this.now() + this.windowMs;
      const seconds = Math.max(1, Math.ceil((freedAt - this.now()) / 1000));
      return new HttpError(429, { error: 'Too many failed attempts; try again later' }, { 'retry-after': String(seconds) });
    }
    this.recordFailures(client, count);
    return null;
  }

  /** Takes back the `count` most recent failures of `client`: guesses charged up front that were right. */
  forgive(client: string, count: number): void {
    if (count <= 0) return;
    const key = clientKey(client);
    const stored = this.failures.get(key);
    if (stored === undefined) return;
    stored.splice(Math.max(0, stored.length - count), count);
    if (stored.length === 0) this.failures.delete(key);
  }

  private recordFailures(client: string, count: number): void {
    const key = clientKey(client);
    const recent = this.recentFailures(key);
    for (let i = 0; i < count; i++) recent.push(this.now());
    if (recent.length > this.maxFailures) recent.splice(0, recent.length - this.maxFailures);
    // Re-insert so the Map's first entry is always the client that failed least recently.
    this.failures.delete(key);
    this.failures.set(key, recent);
    while (this.failures.size > this.maxClients) {
      this.failures.delete(this.failures.keys().next().value as string);
    }
  }

  private recentFailures(key: string): number[] {
    const stored = this.failures.get(key);
    if (stored === undefined) return [];
    const since = this.now() - this.windowMs;
    const recent = stored.filter((time) => time > since);
    if (recent.length === 0) this.failures.delete(key);
    else if (recent.length !== stored.length) this.failures.set(key, recent);
    return recent;
  }
}

/**
 * The key a client is counted under. An IPv6 client usually owns a whole /64, so it is counted
 * per /64 prefix; otherwise every address in it would get its own 10 tries.
 */
export function clientKey(address: string): string {
  const mapped = address.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i);
  if (mapped) return mapped[1] as string;
  if (isIP(address) !== 6) return address;
  return `${expandIpv6(address).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, without a zone. */
function expandIpv6(address: string): string[] {
  const [head = '', tail] = (address.split('%')[0] as string).toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  // A trailing embedded IPv4 (a.b.c.d) takes two groups; only its /64 prefix matters here.
  const width = (groups: string[]): number => groups.reduce((sum, group) => sum + (group.includes('.') ? 2 : 1), 0);
  const zeros = tail === undefined ? [] : new Array<string>(8 - width(left) - width(right)).fill('0');
  return [...left, ...zeros, ...right].map((group) => (group.includes('.') ? group : group.replace(/^0+(?=.)/, '')));
}
