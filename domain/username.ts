// Unix usernames the API may create, checked in the contract's order (forbidden, pattern, length).
import { z } from 'zod';

/** Prefixes of NixOS system accounts (systemd-*, nixbld1…). */
export const FORBIDDEN_USERNAME_PREFIXES: readonly string[] = ['systemd', 'nixbld'];

/** Accounts of the system and of the services a SelfPrivacy server runs. */
export const FORBIDDEN_USERNAMES: ReadonlySet<string> = new Set([
  'root', 'messagebus', 'postfix', 'polkituser', 'dovecot2', 'dovenull', 'nginx', 'postgres', 'prosody',
  'opendkim', 'rspamd', 'sshd', 'selfprivacy-api', 'restic', 'redis', 'pleroma', 'ocserv', 'nextcloud',
  'memcached', 'knot-resolver', 'gitea', 'bitwarden_rs', 'vaultwarden', 'acme', 'virtualMail', 'nobody',
]);

export const USERNAME_PATTERN = /^[a-z_][a-z0-9_]+$/;
/** Linux refuses names of 32 characters or more. */
export const MAX_USERNAME_LENGTH = 31;

export type UsernameProblem = 'forbidden' | 'pattern' | 'length';

export function isForbiddenUsername(name: string): boolean {
  return FORBIDDEN_USERNAMES.has(name) || FORBIDDEN_USERNAME_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** The first rule a new username breaks, in the contract's order, or null when it may be created. */
export function usernameProblem(name: string): UsernameProblem | null {
  if (isForbiddenUsername(name)) return 'forbidden';
  if (!USERNAME_PATTERN.test(name)) return 'pattern';
  if (name.length > MAX_USERNAME_LENGTH) return 'length';
  return null;
}

/** No stored name holds these: a slash, NUL or any other control character (C0, DEL, C1). */
const IMPOSSIBLE_IN_NAME = /[/\u0000-\u001f\u007f-\u009f]/;

/**
 * `{username}` in a path. It is looked up, never used as a file name, but a value no stored name can
 * hold (a `/`, NUL, control characters, more than 256 characters) is a 400 rather than a search.
 */
export const UsernamePathParams = z.object({
  username: z
    .string()
    .min(1)
    .max(256)
    .refine((value) => !IMPOSSIBLE_IN_NAME.test(value), 'must not contain "/" or control characters'),
});
