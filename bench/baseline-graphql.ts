// The GraphQL floor: the answers to the app's AllUsers and GetApiTokens documents, built straight from
// the files with no GraphQL engine (no parsing, validation or execution), byte for byte as our server
// gives them. A document is known by its exact text, as a server of persisted queries would know it.
import { ALL_USERS, GET_API_TOKENS } from './scenarios.js';

export interface BaselineDevice {
  token: string;
  name: string;
  date: string;
}

export interface BaselineUser {
  username: string;
  sshKeys?: string[];
}

/** What answers a known document: the parsed files it reads, on demand, and the caller's device. */
export interface GraphqlSources {
  userdata(): any;
  devices: BaselineDevice[];
  caller: BaselineDevice;
}

/**
 * A user as the User type answers it: the main user is the one admin (sp.admins), everyone but root
 * has a mailbox at the domain. No display name is set in the bench's root; mail passwords are not stored.
 */
function user(username: string, userType: 'NORMAL' | 'PRIMARY' | 'ROOT', sshKeys: string[] | undefined, domain: unknown) {
  const groups = userType === 'PRIMARY' ? ['sp.admins'] : [];
  return {
    username,
    userType,
    sshKeys: sshKeys ?? [],
    directmemberof: groups,
    displayName: null,
    memberof: groups,
    email: userType === 'ROOT' || typeof domain !== 'string' ? null : `${username}@${domain}`,
    emailPasswordMetadata: [],
    __typename: 'User',
  };
}

function allUsers({ userdata }: GraphqlSources): unknown {
  const data = userdata();
  const users = (data.users ?? []).map((record: BaselineUser) => user(record.username, 'NORMAL', record.sshKeys, data.domain));
  const all = typeof data.username === 'string' ? [user(data.username, 'PRIMARY', data.sshKeys, data.domain), ...users] : users;
  return { users: { allUsers: all, rootUser: user('root', 'ROOT', data.ssh?.rootKeys, data.domain), __typename: 'Users' }, __typename: 'Query' };
}

function apiTokens({ devices, caller }: GraphqlSources): unknown {
  const answered = devices.map((device) => ({ creationDate: device.date, isCaller: device === caller, name: device.name, __typename: 'ApiDevice' }));
  return { api: { devices: answered, __typename: 'Api' }, __typename: 'Query' };
}

const ANSWERS = new Map<string, (sources: GraphqlSources) => unknown>([
  [ALL_USERS, allUsers],
  [GET_API_TOKENS, apiTokens],
]);

/** The answer's text for a request body, or null when it does not carry one of the known documents. */
export function graphqlAnswer(body: string, sources: GraphqlSources): string | null {
  let query: unknown;
  try {
    query = (JSON.parse(body) as { query?: unknown }).query;
  } catch {
    return null;
  }
  const answer = typeof query === 'string' ? ANSWERS.get(query) : undefined;
  return answer === undefined ? null : JSON.stringify({ data: answer(sources) });
}
