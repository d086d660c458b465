// Where each account's SSH keys live: root's in ssh.rootKeys, the main user's in top-level sshKeys, a user's in users[].sshKeys.
import { conflict, internalError, notFound } from '../core/errors.js';
import type { Userdata, UserRecord } from '../store/userdata.js';
import { mutableSshSection } from './ssh-settings.js';
import { findUserRecord, isMainUser, userNotFound } from './user-records.js';

export const ROOT_USERNAME = 'root';

/** One account's key list inside a userdata object that is being read or changed. */
export interface KeyHolder {
  kind: 'root' | 'main' | 'user';
  /** A copy of the stored keys; [] when the list is missing. */
  keys(): string[];
  /** Stores `keys`; an empty root list removes `rootKeys` (an empty one breaks the NixOS build). */
  setKeys(keys: string[]): void;
}

/** A copy of a stored list, entries untouched (a change writes back all of them). */
function readList(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw internalError(`userdata.json: ${where} is not a list; it was left untouched`);
  return [...(value as string[])];
}

/** The key list of `username`; an unknown account is a 404. */
export function keyHolderOf(data: Userdata, username: string): KeyHolder {
  if (username === ROOT_USERNAME) {
    return {
      kind: 'root',
      keys: () => readList(data.ssh?.rootKeys, 'ssh.rootKeys'),
      setKeys: (keys) => {
        const ssh = mutableSshSection(data);
        if (keys.length === 0) delete ssh.rootKeys;
        else ssh.rootKeys = keys;
      },
    };
  }
  if (isMainUser(data, username)) {
    return {
      kind: 'main',
      keys: () => readList(data.sshKeys, 'sshKeys'),
      setKeys: (keys) => {
        data.sshKeys = keys;
      },
    };
  }
  const record = findUserRecord(data, username);
  if (record === undefined) throw userNotFound();
  return recordKeyHolder(record);
}

/** The key list of a record of users[] already found (listing every user looks each up only once). */
export function recordKeyHolder(record: UserRecord): KeyHolder {
  const username = record.username;
  return {
    kind: 'user',
    keys: () => readList(record.sshKeys, `sshKeys of ${username}`),
    setKeys: (keys) => {
      record.sshKeys = keys;
    },
  };
}

/** Appends `key`; one already in the list is a 409. */
export function addKey(holder: KeyHolder, key: string): void {
  const keys = holder.keys();
  if (keys.includes(key)) throw conflict({ error: 'Key already exists' });
  holder.setKeys([...keys, key]);
}

/** Removes `key` (every copy of it); one not in the list is a 404. */
export function removeKey(holder: KeyHolder, key: string): void {
  const keys = holder.keys();
  if (!keys.includes(key)) throw notFound({ error: 'Key not found' });
  holder.setKeys(keys.filter((stored) => stored !== key));
}
