import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../core/errors.js';
import { clientKey, FailureLimiter } from '../../../runtime/rate-limit.js';

function limiterAt(start = 1_000_000): { limiter: FailureLimiter; advance(ms: number): void } {
  let now = start;
  return { limiter: new FailureLimiter({ now: () => now }), advance: (ms) => (now += ms) };
}

function refusal(limiter: FailureLimiter, client: string): HttpError | undefined {
  try {
    limiter.assertAllowed(client);
    return undefined;
  } catch (error) {
    return error as HttpError;
  }
}

describe('FailureLimiter', () => {
  it('allows ten failures a minute and refuses the next attempt with 429 and Retry-After', () => {
    const { limiter, advance } = limiterAt();
    for (let attempt = 0; attempt < 10; attempt++) {
      expect(refusal(limiter, '203.0.113.7')).toBeUndefined();
      limiter.recordFailure('203.0.113.7');
      advance(1000);
    }
    const error = refusal(limiter, '203.0.113.7');
    expect(error).toBeInstanceOf(HttpError);
    expect(error?.status).toBe(429);
    // The first failure was 10 s ago; it leaves the window in 50 s.
    expect(error?.headers['retry-after']).toBe('50');
  });

  it('lets the client in again once its oldest failure leaves the one-minute window', () => {
    const { limiter, advance } = limiterAt();
    for (let attempt = 0; attempt < 10; attempt++) limiter.recordFailure('203.0.113.7');
    advance(59_999);
    expect(refusal(limiter, '203.0.113.7')?.status).toBe(429);
    advance(2);
    expect(refusal(limiter, '203.0.113.7')).toBeUndefined();
  });

  it('counts each client on its own', () => {
    const { limiter } = limiterAt();
    for (let attempt = 0; attempt < 10; attempt++) limiter.recordFailure('203.0.113.7');
    expect(refusal(limiter, '203.0.113.7')?.status).toBe(429);
    expect(refusal(limiter, '203.0.113.8')).toBeUndefined();
  });

  it('keeps at most maxClients clients, forgetting the one that failed least recently', () => {
    let now = 0;
    const limiter = new FailureLimiter({ maxClients: 100, now: () => now });
    for (let attempt = 0; attempt < 10; attempt++) limiter.recordFailure('198.51.100.1');
    for (let client = 0; client < 5000; client++) {
      now += 1;
      limiter.recordFailure(`10.0.${client >> 8}.${client & 255}`);
    }
    expect(limiter.trackedClients).toBe(100);
    expect(refusal(limiter, '198.51.100.1')).toBeUndefined();
  });

  it('keeps at most maxFailures timestamps per client however often it fails', () => {
    const { limiter } = limiterAt();
    for (let attempt = 0; attempt < 10_000; attempt++) limiter.recordFailure('203.0.113.7');
    expect(limiter.retryAfterSeconds('203.0.113.7')).toBe(60);
    expect(limiter.trackedClients).toBe(1);
  });
});

describe('clientKey', () => {
  it('counts a whole IPv6 /64 as one client', () => {
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:0db8:0001:0002:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
  });

  it('counts an IPv4-mapped address as the IPv4 address and leaves IPv4 as it is', () => {
    expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('unknown')).toBe('unknown');
  });
});

describe('FailureLimiter.charge and forgive (guesses counted before they run)', () => {
  it('charges guesses up front, refusing a charge that would pass the limit without charging any of it', () => {
    const { limiter, advance } = limiterAt();
    expect(limiter.charge('203.0.113.8', 7)).toBeNull();
    advance(10_000);
    const refused = limiter.charge('203.0.113.8', 4);
    expect(refused?.status).toBe(429);
    // Room for four comes back when the first seven leave the window, 50 s from now.
    expect(refused?.headers['retry-after']).toBe('50');
    expect(limiter.charge('203.0.113.8', 3)).toBeNull();
    expect(limiter.retryAfterSeconds('203.0.113.8')).toBe(50);
  });

  it('refuses more guesses in one charge than the limit allows at all', () => {
    const { limiter } = limiterAt();
    expect(limiter.charge('203.0.113.9', 11)?.status).toBe(429);
    expect(limiter.trackedClients).toBe(0);
  });

  it('gives back forgiven guesses, the most recent first', () => {
    const { limiter } = limiterAt();
    expect(limiter.charge('203.0.113.10', 10)).toBeNull();
    expect(limiter.retryAfterSeconds('203.0.113.10')).toBeGreaterThan(0);
    limiter.forgive('203.0.113.10', 1);
    expect(limiter.retryAfterSeconds('203.0.113.10')).toBe(0);
    limiter.forgive('203.0.113.10', 20);
    expect(limiter.trackedClients).toBe(0);
  });
});
