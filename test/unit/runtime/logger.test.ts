import { describe, expect, it } from 'vitest';
import { createLogger, parseLogLevel, redact } from '../../../runtime/logger.js';

function capture(level: string): { lines: () => Array<Record<string, unknown>>; log: ReturnType<typeof createLogger> } {
  const written: string[] = [];
  const log = createLogger(level, (line) => written.push(line));
  return { log, lines: () => written.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('redact', () => {
  it('replaces secrets under secret-looking keys at any depth, in arrays too', () => {
    const out = redact({
      headers: { Authorization: 'Bearer abc', cookie: 'x=1' },
      tokens: [{ token: 't1' }],
      list: [{ name: 'Pixel', token: 't2' }, { password: 'p' }],
      backblaze: { accountId: 'id', accountKey: 'key', bucket: 'b' },
      body: { token: 'mnemonic words', device: 'Laptop', hashedPassword: '$6$x', recovery_mnemonic: 'w' },
    });
    expect(out).toEqual({
      headers: { Authorization: '[redacted]', cookie: '[redacted]' },
      tokens: '[redacted]',
      list: [{ name: 'Pixel', token: '[redacted]' }, { password: '[redacted]' }],
      backblaze: { accountId: '[redacted]', accountKey: '[redacted]', bucket: 'b' },
      body: { token: '[redacted]', device: 'Laptop', hashedPassword: '[redacted]', recovery_mnemonic: '[redacted]' },
    });
  });

  it('keeps the names of tokens, which are not secret', () => {
    expect(redact({ tokenName: 'primary_token', token_name: 'Pixel_6' })).toEqual({ tokenName: 'primary_token', token_name: 'Pixel_6' });
  });

  it('removes a bearer or basic credential quoted in free text', () => {
    expect(redact({ errorMessage: 'header was Bearer Yk8z8C3mJm2mGQyQm0c9o0tT2h2n3Q6VbZl6s1f5Uu4, rejected' }).errorMessage).toBe(
      'header was Bearer [redacted], rejected',
    );
    expect(redact({ reason: 'Basic dXNlcjpwYXNzd29yZA==' }).reason).toBe('Basic [redacted]');
    expect(redact({ reason: 'Missing or invalid bearer token' }).reason).toBe('Missing or invalid bearer token');
  });

  it('logs an Error as its kind and message, without its stack', () => {
    expect(redact({ error: new TypeError('boom') })).toEqual({ error: { name: 'TypeError', message: 'boom' } });
  });
});

describe('createLogger', () => {
  it('writes one JSON line per entry with time, level and message', () => {
    const { log, lines } = capture('info');
    log.info('request', { method: 'GET', status: 200 });
    const [entry] = lines();
    expect(entry).toMatchObject({ level: 'info', msg: 'request', method: 'GET', status: 200 });
    expect(new Date(entry?.time as string).toISOString()).toBe(entry?.time);
  });

  it('drops entries below LOG_LEVEL', () => {
    const { log, lines } = capture('warn');
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    expect(lines().map((entry) => entry.msg)).toEqual(['w', 'e']);
  });

  it('warns about an unknown LOG_LEVEL and uses info', () => {
    const { log, lines } = capture('verbose');
    log.debug('hidden');
    log.info('shown');
    expect(lines().map((entry) => [entry.level, entry.msg])).toEqual([
      ['warn', 'unknown LOG_LEVEL; using info'],
      ['info', 'shown'],
    ]);
  });

  it('reads LOG_LEVEL without regard to case', () => {
    expect(parseLogLevel(' DEBUG ')).toBe('debug');
    expect(parseLogLevel('loud')).toBeNull();
  });

  it('does not let a field replace time, level or message', () => {
    const { log, lines } = capture('info');
    log.info('real', { level: 'error', msg: 'fake', time: 'then' });
    expect(lines()[0]).toMatchObject({ level: 'info', msg: 'real' });
    expect(lines()[0]?.time).not.toBe('then');
  });

  it('never writes a secret given under a secret-looking key', () => {
    const { log, lines } = capture('info');
    log.error('failed', { password: 'hunter2', items: [{ token: 'tok-123' }] });
    expect(JSON.stringify(lines())).not.toMatch(/hunter2|tok-123/);
  });
});
