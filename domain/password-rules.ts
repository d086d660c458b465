// What a Unix password of a SelfPrivacy user may be: the one zod schema for every password field.
import { z } from 'zod';

/**
 * Linux-PAM hands a password to pam_unix in at most 512 bytes (PAM_MAX_RESP_SIZE); a longer one
 * could be stored but never typed in at a login, and hashing huge inputs only costs CPU.
 */
export const MAX_PASSWORD_BYTES = 512;

// A control character cannot be typed at a login prompt, and NUL ends a C string early.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

export const PasswordSchema = z
  .string()
  .min(1, 'must not be empty')
  .refine((value) => Buffer.byteLength(value, 'utf8') <= MAX_PASSWORD_BYTES, `must be at most ${MAX_PASSWORD_BYTES} bytes`)
  .refine((value) => !CONTROL_CHARACTER.test(value), 'must not contain control characters');
