// SSH public keys the API accepts: the one place that decides what may go into authorized_keys.
import { z } from 'zod';

/** Key types the SelfPrivacy app offers; a prefix check, as the original API made it. */
export const ACCEPTED_KEY_TYPES: readonly string[] = ['ssh-ed25519', 'ssh-rsa'];

/** A 16384-bit RSA key with a long comment stays well below this. */
export const MAX_KEY_LENGTH = 8192;

/**
 * NixOS writes each key as one line of authorized_keys: a line break (or any other control
 * character, or a Unicode line/paragraph separator) could smuggle in a second line with options.
 */
const LINE_BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export const INVALID_KEY_TYPE = 'Invalid key type. Only ssh-ed25519 and ssh-rsa are supported.';
export const KEY_NOT_ONE_LINE = 'The key must be a single line without control characters';

/** Why `key` may not be added, or null when it may. */
export function sshKeyProblem(key: string): string | null {
  if (!ACCEPTED_KEY_TYPES.some((type) => key.startsWith(type))) return INVALID_KEY_TYPE;
  if (LINE_BREAKING.test(key)) return KEY_NOT_ONE_LINE;
  if (key.length > MAX_KEY_LENGTH) return `The key is longer than ${MAX_KEY_LENGTH} characters`;
  return null;
}

/** A public key to add; a bad one is a 400 naming the field, with sshKeyProblem's reason. */
export const NewSshPublicKey = z.string().superRefine((key, check) => {
  const problem = sshKeyProblem(key);
  if (problem !== null) check.addIssue({ code: 'custom', message: problem });
});

/** A key to remove: compared with the stored ones only, so even a hand-written odd one can go. */
export const StoredSshPublicKey = z.string().min(1);
