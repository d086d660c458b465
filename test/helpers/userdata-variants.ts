// userdata.json as real servers have it: the example file with sections missing or lists empty.
import { fixture } from './temp-root.js';

type Data = Record<string, any>;

/** The example userdata.json after `edit`. */
export function editedUserdata(edit: (data: Data) => void): Data {
  const data = fixture<Data>('userdata.json');
  edit(data);
  return data;
}

/** Shapes seen on real servers, for tests that must hold on each of them. */
export const USERDATA_VARIANTS: Record<string, (data: Data) => void> = {
  'the example server': () => undefined,
  'no users key': (data) => delete data.users,
  'an empty users list': (data) => (data.users = []),
  'users without sshKeys': (data) => data.users.forEach((user: Data) => delete user.sshKeys),
  'no ssh section': (data) => delete data.ssh,
  'an ssh section without rootKeys': (data) => delete data.ssh.rootKeys,
  'no main-user sshKeys': (data) => delete data.sshKeys,
};

/** Each variant as [name, userdata] pairs, for `for … of` loops. */
export function userdataVariants(): Array<[string, Data]> {
  return Object.entries(USERDATA_VARIANTS).map(([name, edit]) => [name, editedUserdata(edit)]);
}
