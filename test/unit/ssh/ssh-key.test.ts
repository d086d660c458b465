import { describe, expect, it } from 'vitest';
import { INVALID_KEY_TYPE, KEY_NOT_ONE_LINE, MAX_KEY_LENGTH, sshKeyProblem } from '../../../domain/ssh-key.js';
import { ED25519_KEY, RSA_KEY } from '../../helpers/ssh-keys.js';

describe('sshKeyProblem', () => {
  it('accepts ssh-ed25519 and ssh-rsa keys, with or without a comment', () => {
    for (const key of [ED25519_KEY, RSA_KEY, 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHvQ', 'ssh-rsa AAAAB3 comment with spaces']) {
      expect(sshKeyProblem(key)).toBeNull();
    }
  });

  it('refuses other types with the original API\'s message', () => {
    for (const key of ['ssh-dss AAAA', 'ecdsa-sha2-nistp256 AAAA', 'sk-ssh-ed25519@openssh.com AAAA', 'SSH-RSA AAAA', '', ' ssh-rsa AAAA']) {
      expect(sshKeyProblem(key)).toBe(INVALID_KEY_TYPE);
    }
  });

  it('refuses anything that could start a second authorized_keys line', () => {
    for (const separator of ['\n', '\r', '\0', '\t', '\u000b', '\u000c', '\u007f', '\u0085', '\u2028', '\u2029']) {
      expect(sshKeyProblem(`ssh-ed25519 AAAA${separator}command="id" ssh-rsa BBBB`)).toBe(KEY_NOT_ONE_LINE);
    }
  });

  it('refuses keys longer than the limit and takes one exactly at it', () => {
    const atLimit = `ssh-rsa ${'A'.repeat(MAX_KEY_LENGTH - 8)}`;
    expect(sshKeyProblem(atLimit)).toBeNull();
    expect(sshKeyProblem(`${atLimit}A`)).toMatch(/longer/);
  });
});
