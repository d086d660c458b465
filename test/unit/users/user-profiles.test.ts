// Display names in the API's own state, and the groups of the 1.2 layout.
import { describe, expect, it } from 'vitest';
import { groupsNotApplied, groupsOfUser, serverGroups } from '../../../domain/user-groups.js';
import { displayNameOf, setDisplayName } from '../../../domain/user-profiles.js';
import type { UserProfilesFile } from '../../../store/api-state.js';

describe('display names', () => {
  it('sets, reads and clears a name, dropping an empty profile', () => {
    const file: UserProfilesFile = { users: {} };
    setDisplayName(file, 'alice', 'Alice A.');
    expect(displayNameOf(file, 'alice')).toBe('Alice A.');
    setDisplayName(file, 'alice', null);
    expect(displayNameOf(file, 'alice')).toBeNull();
    expect(file.users).toEqual({});
  });

  it('keeps a login named __proto__ as data, never as the prototype', () => {
    const file: UserProfilesFile = JSON.parse('{"users": {}}');
    setDisplayName(file, '__proto__', 'Proto');
    expect(Object.getPrototypeOf(file.users)).toBe(Object.prototype);
    expect(displayNameOf(file, '__proto__')).toBe('Proto');
    expect(displayNameOf(file, 'constructor')).toBeNull();
    expect(JSON.parse(JSON.stringify(file))).toEqual(JSON.parse('{"users": {"__proto__": {"displayName": "Proto"}}}'));
  });
});

describe('groups of the 1.2 layout', () => {
  it('puts the main user in sp.admins and nobody else in any group', () => {
    expect(groupsOfUser(true)).toEqual(['sp.admins']);
    expect(groupsOfUser(false)).toEqual([]);
    expect(serverGroups('tester')).toEqual([expect.objectContaining({ name: 'sp.admins', member: ['tester'] })]);
  });

  it('names the asked-for groups a user does not get', () => {
    expect(groupsNotApplied(['sp.full_users', 'sp.full_users'], false)).toEqual(['sp.full_users']);
    expect(groupsNotApplied(['sp.admins'], true)).toEqual([]);
    expect(groupsNotApplied(null, false)).toEqual([]);
  });
});
