// Where a user's password hash lives in userdata: the main user's hashedMasterPassword, else the record's hashedPassword.
import type { Userdata } from '../store/userdata.js';
import { findUserRecord, isMainUser } from './user-records.js';

/** Sets the SHA-512 crypt hash of a user in place; false when no main user or record has that name (root has none). */
export function setPasswordHash(data: Userdata, username: string, hashed: string): boolean {
  if (isMainUser(data, username)) {
    data.hashedMasterPassword = hashed;
    return true;
  }
  const record = findUserRecord(data, username);
  if (record === undefined) return false;
  record.hashedPassword = hashed;
  return true;
}
