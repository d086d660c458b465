// Display names of users: the app shows them, NixOS never reads them, so the API keeps them in its own state.
import { z } from 'zod';
import type { UserProfilesFile } from '../store/api-state.js';

/** The app's form allows 255 characters; a control character would break a line wherever it is shown. */
export const DisplayNameSchema = z
  .string()
  .max(255, 'must be at most 255 characters')
  .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), 'must not contain control characters');

export function displayNameOf(file: UserProfilesFile, username: string): string | null {
  const profiles = typeof file.users === 'object' && file.users !== null ? file.users : {};
  const name = Object.hasOwn(profiles, username) ? profiles[username]?.displayName : undefined;
  return typeof name === 'string' && name !== '' ? name : null;
}

/** Sets or (null, empty) clears a user's display name in place. */
export function setDisplayName(file: UserProfilesFile, username: string, displayName: string | null): void {
  if (typeof file.users !== 'object' || file.users === null || Array.isArray(file.users)) file.users = {};
  const profile = Object.hasOwn(file.users, username) ? file.users[username] : undefined;
  if (displayName === null || displayName === '') {
    if (profile === undefined) return;
    delete profile.displayName;
    if (Object.keys(profile).length === 0) delete file.users[username];
    return;
  }
  // Defined, not assigned: `__proto__` is a valid login, and assigning it would replace the prototype.
  Object.defineProperty(file.users, username, { value: { ...profile, displayName }, enumerable: true, writable: true, configurable: true });
}
