import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CRYPT_ALPHABET, hashPassword, newSalt, sha512Crypt } from '../../../domain/password-hash.js';

/** The reference: OpenSSL's SHA-512 crypt, the password on stdin (never on argv). */
function opensslHash(password: string, salt: string): string {
  return execFileSync('openssl', ['passwd', '-6', '-salt', salt, '-stdin'], { input: password }).toString().trim();
}

/**
 * The system's libcrypt (glibc / libxcrypt: what checks logins on NixOS) through Perl's crypt(),
 * one password per stdin line. openssl cannot be the reference past 256 bytes: it cuts longer passwords.
 */
function libcryptHashes(passwords: string[], salt: string): string[] {
  const script = 'binmode STDIN; binmode STDOUT; my $salt = shift; while (my $line = <STDIN>) { chomp $line; print crypt($line, $salt), "\\n" }';
  return execFileSync('perl', ['-e', script, `$6$${salt}`], { input: passwords.join('\n') + '\n' })
    .toString()
    .trim()
    .split('\n');
}

describe('SHA-512 crypt', () => {
  it('equals `openssl passwd -6` for fixed salts', () => {
    const cases: Array<[string, string]> = [
      ['hunter2', 'saltsaltsaltsalt'],
      ['correct horse battery staple', 'ABCDEFGHIJKLMNOP'],
      ['p@$$w0rd!"\'`;$(id)', './0123456789abcd'],
      ['x', 'short'],
    ];
    for (const [password, salt] of cases) expect(sha512Crypt(password, salt)).toBe(opensslHash(password, salt));
  });

  it('equals openssl for passwords of 64, 128, 192 and 256 bytes (lengths the unixcrypt package gets wrong)', () => {
    for (const length of [64, 128, 192, 256]) {
      const password = 'k'.repeat(length);
      expect(sha512Crypt(password, 'multipleOf64salt')).toBe(opensslHash(password, 'multipleOf64salt'));
    }
  });

  it('equals the system libcrypt for every length from 1 to 70 bytes and around each later 64-byte block', () => {
    const lengths = [...Array.from({ length: 70 }, (_, i) => i + 1), 127, 128, 129, 191, 192, 193, 255, 256, 257, 300];
    const passwords = lengths.map((length) => 'abcdefghij'.repeat(31).slice(0, length));
    const salt = 'q1W2e3R4t5Y6u7I8';
    expect(passwords.map((password) => sha512Crypt(password, salt))).toEqual(libcryptHashes(passwords, salt));
  });

  it('hashes the UTF-8 bytes of non-ASCII passwords as openssl does', () => {
    for (const password of ['pässwörd', 'пароль-сервера', '密码🔑', 'tab\there', 'ü'.repeat(32)]) {
      expect(sha512Crypt(password, 'unicodeSALT/./01')).toBe(opensslHash(password, 'unicodeSALT/./01'));
    }
  });

  it('refuses a salt outside the crypt alphabet', () => {
    expect(() => sha512Crypt('x', 'bad$salt')).toThrow();
    expect(() => sha512Crypt('x', '')).toThrow();
    expect(() => sha512Crypt('x', 'a'.repeat(17))).toThrow();
  });
});

describe('hashPassword', () => {
  it('makes `$6$<16-char salt>$<86 chars>` that openssl reproduces from its salt', () => {
    const hash = hashPassword('s3cret pass');
    const match = /^\$6\$([./0-9A-Za-z]{16})\$[./0-9A-Za-z]{86}$/.exec(hash);
    expect(match).not.toBeNull();
    expect(opensslHash('s3cret pass', match?.[1] as string)).toBe(hash);
  });

  it('uses a fresh salt each time', () => {
    expect(hashPassword('same')).not.toBe(hashPassword('same'));
  });
});

describe('newSalt', () => {
  it('draws 16 characters from the whole crypt alphabet', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const salt = newSalt();
      expect(salt).toMatch(/^[./0-9A-Za-z]{16}$/);
      for (const character of salt) seen.add(character);
    }
    // 6400 uniform draws from 64 characters: every character appears (a miss has odds below 1e-40).
    expect([...seen].sort().join('')).toBe([...CRYPT_ALPHABET].sort().join(''));
  });
});
