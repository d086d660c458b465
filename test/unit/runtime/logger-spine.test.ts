import { describe, expect, it } from 'vitest';
import { redact } from '../../../runtime/logger.js';
import { recordingLogger } from '../../helpers/recording-logger.js';

describe('redact', () => {
  it('replaces values under secret-looking keys, at any depth', () => {
    expect(redact({
      authorization: 'Bearer abc',
      password: 'p',
      hashedMasterPassword: '$6$x',
      token: 't',
      recovery_token: { token: 'r' },
      mnemonic: 'words',
      accountKey: 'k',
      nested: { deeper: { apiKey: 'a', RESTIC_PASSWORD: 'r' } },
    })).toEqual({
      authorization: '[redacted]',
      password: '[redacted]',
      hashedMasterPassword: '[redacted]',
      token: '[redacted]',
      recovery_token: '[redacted]',
      mnemonic: '[redacted]',
      accountKey: '[redacted]',
      nested: { deeper: { apiKey: '[redacted]', RESTIC_PASSWORD: '[redacted]' } },
    });
  });

  it('replaces secrets inside arrays of objects too', () => {
    expect(redact({ devices: [{ name: 'phone', token: 'secret-1' }, 'plain', [{ password: 'secret-2' }]] })).toEqual({
      devices: [{ name: 'phone', token: '[redacted]' }, 'plain', [{ password: '[redacted]' }]],
    });
  });

  it('keeps token names, which are not secrets', () => {
    expect(redact({ tokenName: 'phone', token_name: 'laptop', status: 200, path: '/auth/tokens' })).toEqual({
      tokenName: 'phone', token_name: 'laptop', status: 200, path: '/auth/tokens',
    });
  });
});

describe('createLogger', () => {
  it('writes one JSON line per entry with time, level and message', () => {
    const logger = recordingLogger('info');
    logger.log.info('request', { status: 200 });
    expect(logger.text().endsWith('\n')).toBe(true);
    expect(logger.entries()).toEqual([{ time: expect.stringMatching(/Z$/), level: 'info', msg: 'request', status: 200 }]);
  });

  it('drops entries below its level', () => {
    const logger = recordingLogger('warn');
    logger.log.debug('d');
    logger.log.info('i');
    logger.log.warn('w');
    logger.log.error('e');
    expect(logger.entries().map((entry) => entry.level)).toEqual(['warn', 'error']);
  });

  it('never writes a secret given under a secret-looking key', () => {
    const logger = recordingLogger();
    logger.log.error('failed', { password: 'hunter2', items: [{ token: 'tok-123' }] });
    expect(logger.text()).not.toMatch(/hunter2|tok-123/);
  });
});
