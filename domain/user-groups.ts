// The groups a user is in, as the app names them, for the layout this server manages (userdata.json 1.2).
//
// The app's user screen knows `sp.admins` (the admin), `sp.full_users` (every service) and
// `sp.<service>.<permission>` (one service), and shows a user in none of them as having mail only.
// In userdata.json 1.2 every user has a mailbox and nothing more per user, and the main user is the
// one who administers the server: so the main user is in `sp.admins` and everyone else in no group.
// The app takes an empty list of groups for a failed request, so the one group that exists is listed.

export const ADMINS_GROUP = 'sp.admins';

export interface ServerGroup {
  name: string;
  member: string[];
  description: string;
}

/** The groups of a user: the main user administers the server, the others have mail only. */
export function groupsOfUser(isMainUser: boolean): string[] {
  return isMainUser ? [ADMINS_GROUP] : [];
}

/** Every group there is here, with its members. */
export function serverGroups(mainUser: string | undefined): ServerGroup[] {
  return [{ name: ADMINS_GROUP, member: mainUser === undefined ? [] : [mainUser], description: 'Administers the server: the main user of userdata.json' }];
}

/** The groups asked for that this layout cannot give the user (nothing is stored for them). */
export function groupsNotApplied(requested: readonly string[] | null | undefined, isMainUser: boolean): string[] {
  const actual = groupsOfUser(isMainUser);
  return [...new Set(requested ?? [])].filter((group) => !actual.includes(group));
}
