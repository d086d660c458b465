// SHA-512 crypt of a Unix password (`$6$<salt>$<hash>`, what `mkpasswd -m sha-512` makes), for userdata.
import { randomBytes } from 'node:crypto';
import { encrypt } from 'unixcrypt';

/** crypt(3)'s salt alphabet: 64 characters, so a random byte modulo 64 picks one without bias. */
const SALT_ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SALT_LENGTH = 16;

function randomSalt(): string {
  return Array.from(randomBytes(SALT_LENGTH), (byte) => SALT_ALPHABET[byte % SALT_ALPHABET.length]).join('');
}

/** Hashes a plain password with a fresh random salt; the plain text goes nowhere else. */
export function hashPassword(plain: string): string {
  return encrypt(plain, '$6$' + randomSalt());
}
