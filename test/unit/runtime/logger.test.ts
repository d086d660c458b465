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

describe('the request line', () => {
  const lines = (write: (log: ReturnType<typeof createLogger>) => void): string[] => {
    const written: string[] = [];
    write(createLogger('info', (line) => written.push(line)));
    return written;
  };

  it('is exactly what info("request", …) writes, escaping and redaction included', () => {
    const samples = [
      { requestId: 'f3c0a8e2-5b1d-4c7e-9a61-0d2b7c9e4f10', method: 'GET', path: '/auth/tokens', status: 200, durationMs: 0.41, tokenName: 'primary_token' },
      { requestId: 'id', method: 'POST', path: '/users/"quoted"\\back\u0001slash', status: 401, durationMs: 12, tokenName: null },
      { requestId: 'id', method: 'PUT', path: '/x', status: 500, durationMs: 1.5, tokenName: 'Bearer Yk8z8C3mJm2mGQyQm0c9o0tT2h2n3Q6VbZl6s1f5Uu4 x' },
      { requestId: 'id', method: 'GET', path: '/a path with Basic dXNlcjpwYXNzd29yZA==', status: 404, durationMs: 0, tokenName: 'Pixel 6' },
    ];
    for (const sample of samples) {
      // Written in the same millisecond or the next; compare all but the time.
      const [fromTemplate, fromEntry] = lines((log) => {
        log.request(sample);
        log.info('request', { ...sample });
      });
      const withoutTime = (line: string | undefined): string => (line ?? '').replace(/"time":"[^"]+"/, '"time":""');
      expect(withoutTime(fromTemplate)).toBe(withoutTime(fromEntry));
      expect(JSON.parse(fromTemplate ?? '')).toMatchObject({ level: 'info', msg: 'request', status: sample.status });
    }
    expect(lines((log) => log.request(samples[2]!))[0]).not.toContain('Yk8z8C3mJm2mGQyQm0c9o0tT2h2n3Q6VbZl6s1f5Uu4');
  });

  it('has no field a redacting logger would hide, so writing it from a template hides nothing', () => {
    const fields = { requestId: 'a', method: 'b', path: 'c', status: 1, durationMs: 2, tokenName: 'd' };
    expect(redact(fields)).toEqual(fields);
  });

  it('is left out below the info level', () => {
    expect(lines((log) => log.request({ requestId: 'a', method: 'GET', path: '/', status: 200, durationMs: 1, tokenName: null }))).toHaveLength(1);
    const written: string[] = [];
    createLogger('warn', (line) => written.push(line)).request({ requestId: 'a', method: 'GET', path: '/', status: 200, durationMs: 1, tokenName: null });
    expect(written).toEqual([]);
  });
});
