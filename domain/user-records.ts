// Finding people in userdata: the main user (top-level `username`) and the records of `users[]`.
import { HttpError, badRequest, internalError, notFound } from '../core/errors.js';
import type { Userdata, UserRecord } from '../store/userdata.js';

/** The records of `users[]`; none when the key is missing. */
export function userRecords(data: Userdata): UserRecord[] {
  if (data.users === undefined || data.users === null) return [];
  // Anything else is a hand-edited file NixOS would refuse too; never overwrite it blindly.
  if (!Array.isArray(data.users)) throw internalError('userdata.json: "users" is not a list; it was left untouched');
  return data.users.filter((record): record is UserRecord => typeof record?.username === 'string');
}

/** `users[]` for a change, created when missing. */
export function mutableUserRecords(data: Userdata): UserRecord[] {
  userRecords(data);
  data.users ??= [];
  return data.users;
}

export function findUserRecord(data: Userdata, username: string): UserRecord | undefined {
  return userRecords(data).find((record) => record.username === username);
}

export function isMainUser(data: Userdata, username: string): boolean {
  return typeof data.username === 'string' && data.username === username;
}

/** The main user or someone in `users[]` already has this name. */
export function isTakenUsername(data: Userdata, username: string): boolean {
  return isMainUser(data, username) || findUserRecord(data, username) !== undefined;
}

/**
 * root is an account of the system, not a person of userdata: it has keys (ssh.rootKeys) but no
 * password or record the API may change or delete, so such a change is refused, not "not found".
 */
export function rootIsProtected(): HttpError {
  return badRequest('root is a protected user: it cannot be changed or deleted', 'username');
}

/** The answer for a username that is neither root, the main user nor in `users[]`. */
export function userNotFound(): HttpError {
  return notFound({ error: 'User not found' });
}
