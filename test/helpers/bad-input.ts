// Bad input shared by the tests of many endpoints, and the check that a refusal changed nothing.
import { expect } from 'vitest';
import type { TempRoot } from './temp-root.js';

/** `{username}` path values no account can have: each answers 400. */
export const IMPOSSIBLE_PATH_NAMES: readonly string[] = ['a/b', '../etc/passwd', 'user1\0', '\0', 'x'.repeat(10 * 1024), 'user1\n', 'tab\there'];

/** Well-formed but absent names (traversal-looking included): each answers 404. */
export const ABSENT_PATH_NAMES: readonly string[] = ['..', '.', 'nobody_here', 'USER1', '$(touch x)', '`id`', 'a;b'];

/** Runs a request that must be refused with `status` and leave userdata.json byte-for-byte as it was. */
export async function expectRefusedUnchanged(
  temp: TempRoot,
  status: number,
  send: () => Promise<{ status: number; body: any }>,
): Promise<any> {
  const before = temp.userdataBytes();
  const result = await send();
  expect(result.status, JSON.stringify(result.body)).toBe(status);
  expect(temp.userdataBytes()).toBe(before);
  return result.body;
}
