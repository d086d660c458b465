// Checks a plain password against a `$6$salt$…` hash with our SHA-512 crypt (itself checked against openssl and libcrypt).
import { sha512Crypt } from '../../domain/password-hash.js';

export function verify(password: string, hash: unknown): boolean {
  if (typeof hash !== 'string') return false;
  const match = /^\$6\$([^$]{1,16})\$/.exec(hash);
  return match !== null && sha512Crypt(password, match[1] as string) === hash;
}
