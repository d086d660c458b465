// Unix passwords as NixOS stores them: SHA-512 crypt (`$6$<16-char salt>$<86 chars>`), made in-process.
import { createHash, randomBytes } from 'node:crypto';

/**
 * Why not the `unixcrypt` package: its 3.0.4 release mis-hashes every password whose UTF-8 length
 * is a multiple of 64 bytes (steps 9-10 and 16 of the algorithm drop the last full block), so a
 * 64-character password from a password manager would lock the user out. This follows Ulrich
 * Drepper's published "Unix crypt using SHA-256 and SHA-512" specification, as glibc and libxcrypt
 * (which NixOS uses to check logins) do; test/unit/users/password-hash.test.ts compares it with
 * `openssl passwd -6` for every length from 0 to 300 bytes.
 */

/** The crypt alphabet, in the order crypt's base-64 uses it. */
export const CRYPT_ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const SALT_LENGTH = 16;
/** The default round count: crypt omits `rounds=` from the hash when it is used. */
const ROUNDS = 5000;

/** 16 characters of `./0-9A-Za-z`; 256 is a multiple of 64, so `byte & 63` is uniform. */
export function newSalt(): string {
  return Array.from(randomBytes(SALT_LENGTH), (byte) => CRYPT_ALPHABET[byte & 63]).join('');
}

function sha512(...parts: Buffer[]): Buffer {
  const hash = createHash('sha512');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** `source` repeated and cut to `length` bytes (the spec's P and S sequences). */
function repeatedTo(source: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let offset = 0; offset < length; offset += source.length) source.copy(out, offset, 0, Math.min(source.length, length - offset));
  return out;
}

/** crypt's base-64: 3 bytes (most significant first) give 4 characters, least significant 6 bits first. */
function encode24(high: number, middle: number, low: number, characters: number): string {
  let word = (high << 16) | (middle << 8) | low;
  let out = '';
  for (let i = 0; i < characters; i++) {
    out += CRYPT_ALPHABET[word & 63];
    word >>>= 6;
  }
  return out;
}

/** The final digest's bytes are emitted in the spec's interleaved order: (0,21,42), (22,43,1), (44,2,23), … then 63. */
function encodeDigest(digest: Buffer): string {
  let out = '';
  for (let i = 0; i < 21; i++) {
    const trio = [digest[i] as number, digest[i + 21] as number, digest[i + 42] as number];
    const start = i % 3;
    out += encode24(trio[start] as number, trio[(start + 1) % 3] as number, trio[(start + 2) % 3] as number, 4);
  }
  return out + encode24(0, 0, digest[63] as number, 2);
}

/** SHA-512 crypt of `password` with a given salt (characters of CRYPT_ALPHABET, at most 16). */
export function sha512Crypt(password: string, salt: string): string {
  if (salt.length === 0 || salt.length > SALT_LENGTH || [...salt].some((c) => !CRYPT_ALPHABET.includes(c))) {
    throw new Error('A SHA-512 crypt salt is 1 to 16 characters of ./0-9A-Za-z');
  }
  const key = Buffer.from(password, 'utf8');
  const saltBytes = Buffer.from(salt, 'ascii');

  const digestB = sha512(key, saltBytes, key);
  const lengthBits: Buffer[] = [];
  for (let n = key.length; n > 0; n >>= 1) lengthBits.push(n & 1 ? digestB : key);
  const digestA = sha512(key, saltBytes, repeatedTo(digestB, key.length), ...lengthBits);

  const sequenceP = repeatedTo(sha512(...Array<Buffer>(key.length).fill(key)), key.length);
  const sequenceS = repeatedTo(sha512(...Array<Buffer>(16 + (digestA[0] as number)).fill(saltBytes)), saltBytes.length);

  let digestC = digestA;
  for (let round = 0; round < ROUNDS; round++) {
    const odd = round % 2 === 1;
    digestC = sha512(
      odd ? sequenceP : digestC,
      round % 3 === 0 ? Buffer.alloc(0) : sequenceS,
      round % 7 === 0 ? Buffer.alloc(0) : sequenceP,
      odd ? digestC : sequenceP,
    );
  }
  return `$6$${salt}$${encodeDigest(digestC)}`;
}

/** The `hashedPassword` NixOS expects for a new password, under a fresh random salt. */
export function hashPassword(password: string): string {
  return sha512Crypt(password, newSalt());
}
