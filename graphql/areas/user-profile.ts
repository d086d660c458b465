// What the users area answers beyond userdata.json: display names (API state), groups and mail addresses.
import { badRequest } from '../../core/errors.js';
import { groupsNotApplied, serverGroups, type ServerGroup } from '../../domain/user-groups.js';
import { DisplayNameSchema, displayNameOf, setDisplayName } from '../../domain/user-profiles.js';
import type { Ctx } from '../../kit/context.js';
import type { UserProfilesFile } from '../../store/api-state.js';
import { derivedPair } from '../../store/derived.js';
import { serverDomain } from './server-facts.js';

interface ProfiledUser {
  username: string;
  userType: 'NORMAL' | 'PRIMARY' | 'ROOT';
}

type WithProfile<T> = T & { displayName: string | null; email: string | null };

/**
 * Adds to each user the display name kept for them and their mailbox (root has none). The
 * profiles file and the domain are read once for the whole list.
 */
export function withProfiles<T extends ProfiledUser>(ctx: Ctx, users: readonly T[]): Array<WithProfile<T>> {
  return profiled(ctx.store.userProfiles.read(), serverDomain(ctx), users);
}

/**
 * withProfiles of a list kept per version of userdata.json: made again only when the list, the
 * profiles file or the domain changes (the app asks for every user on each visit to its screen).
 */
export function withProfilesOfList<T extends ProfiledUser>(ctx: Ctx, users: readonly T[]): Array<WithProfile<T>> {
  const domain = serverDomain(ctx);
  return derivedPair(Object.freeze(users), ctx.store.userProfiles.read(), `profiles at ${domain}`, (list, profiles) => profiled(profiles, domain, list));
}

function profiled<T extends ProfiledUser>(profiles: UserProfilesFile, domain: string | undefined, users: readonly T[]): Array<WithProfile<T>> {
  return users.map((user) => ({
    ...user,
    displayName: displayNameOf(profiles, user.username),
    email: user.userType === 'ROOT' || domain === undefined ? null : `${user.username}@${domain}`,
  }));
}

/** A display name as sent (null or empty: none), or a 400 saying which rule it breaks. */
export function checkedDisplayName(displayName: string | null | undefined): string | null {
  if (displayName === null || displayName === undefined || displayName === '') return null;
  const checked = DisplayNameSchema.safeParse(displayName);
  if (!checked.success) throw badRequest(`Display name ${checked.error.issues[0]?.message ?? 'is not accepted'}`, 'displayName');
  return displayName;
}

/** Keeps (or clears) a user's display name in the API's own state. */
export async function saveDisplayName(ctx: Ctx, username: string, displayName: string | null): Promise<void> {
  await ctx.store.userProfiles.update((file) => setDisplayName(file, username, displayName));
}

/** The success message, saying which asked-for groups this server does not give (so "done" is not a lie). */
export function withGroupsNote(message: string, requested: readonly string[] | null | undefined, isMainUser: boolean): string {
  const skipped = groupsNotApplied(requested, isMainUser);
  if (skipped.length === 0) return message;
  return `${message}; not applied: ${skipped.join(', ')} (on this server every user has mail and the main user is the admin)`;
}

/** Groups as the app reads them (name) with members; nothing nests, so memberof is directmemberof. */
export function allGroups(ctx: Ctx): Array<ServerGroup & { groupClass: string[]; memberof: string[]; directmemberof: string[]; spn: null }> {
  const mainUser = ctx.store.userdata.read().username;
  return serverGroups(typeof mainUser === 'string' ? mainUser : undefined).map((group) => ({ ...group, groupClass: [], memberof: [], directmemberof: [], spn: null }));
}
