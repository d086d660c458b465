// Finding the caller's device by its bearer token.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { findCaller } from '../../../runtime/auth.js';
import { deepFreeze } from '../../../store/deep-freeze.js';
import type { TokensFile } from '../../../store/tokens.js';

function tokensFile(count: number): TokensFile {
  return {
    tokens: Array.from({ length: count }, (_, index) => ({
      token: randomBytes(32).toString('base64url'),
      name: `device_${index}`,
      date: '2023-01-01T00:00:00.000000Z',
    })),
  };
}

describe('findCaller', () => {
  it('finds each device among more stored tokens than it remembers digests of', () => {
    const file = tokensFile(300);
    for (const index of [0, 150, 299, 0]) {
      const record = file.tokens[index]!;
      expect(findCaller(record.token, file)).toEqual({ name: record.name, token: record.token });
    }
  });

  it('finds nobody for an unknown token, a prefix of a stored one, or one that was replaced', () => {
    const file = tokensFile(3);
    const stored = file.tokens[1]!.token;
    expect(findCaller(randomBytes(32).toString('base64url'), file)).toBeNull();
    expect(findCaller(stored.slice(0, 20), file)).toBeNull();
    const replaced: TokensFile = { tokens: file.tokens.map((record, index) => (index === 1 ? { ...record, token: 'new-token' } : record)) };
    expect(findCaller(stored, replaced)).toBeNull();
  });

  it('refuses a token at once when a new version of tokens.json no longer has it', () => {
    const file = deepFreeze(tokensFile(3));
    const stored = file.tokens[1]!;
    expect(findCaller(stored.token, file)).toEqual({ name: stored.name, token: stored.token });
    const replaced = deepFreeze({ tokens: file.tokens.map((record, index) => (index === 1 ? { ...record, token: 'new-token' } : record)) });
    expect(findCaller(stored.token, replaced)).toBeNull();
    expect(findCaller('new-token', replaced)).toEqual({ name: stored.name, token: 'new-token' });
    expect(findCaller(stored.token, file)).toEqual({ name: stored.name, token: stored.token });
  });
});
