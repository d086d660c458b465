import { describe, expect, it } from 'vitest';
import { UsernamePathParams, isForbiddenUsername, usernameProblem } from '../../../domain/username.js';

describe('usernameProblem', () => {
  it('accepts lowercase Unix names of 2 to 31 characters', () => {
    for (const name of ['ab', 'alice', '_svc', 'user_2', 'a'.repeat(31)]) expect(usernameProblem(name)).toBeNull();
  });

  it('reports forbidden before pattern before length', () => {
    expect(usernameProblem('virtualMail')).toBe('forbidden');
    expect(usernameProblem(`nixbld${'9'.repeat(40)}`)).toBe('forbidden');
    expect(usernameProblem('A'.repeat(40))).toBe('pattern');
    expect(usernameProblem('a'.repeat(32))).toBe('length');
  });

  it('forbids the prefixes systemd and nixbld but not names merely containing them', () => {
    expect(isForbiddenUsername('systemd-timesync')).toBe(true);
    expect(isForbiddenUsername('nixbld7')).toBe(true);
    expect(isForbiddenUsername('my_systemd')).toBe(false);
    expect(isForbiddenUsername('rooted')).toBe(false);
  });
});

describe('UsernamePathParams', () => {
  it('takes any name without / or control characters, up to 256 characters', () => {
    for (const username of ['root', 'user1', '..', 'Ünïcode', 'x'.repeat(256)]) {
      expect(UsernamePathParams.safeParse({ username }).success).toBe(true);
    }
    for (const username of ['', 'a/b', 'a\0', 'a\u007f', 'a\u0085', 'x'.repeat(257)]) {
      expect(UsernamePathParams.safeParse({ username }).success).toBe(false);
    }
  });
});
