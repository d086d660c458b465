// The bench's server files: the main part's small root and the scale part's large one.
import { describe, expect, it } from 'vitest';
import { MAIN_SIZES, makeBenchData, SCALE_SIZES, userdataText } from '../../../bench/bench-root.js';

type StoredUser = { username: string; hashedPassword: string; sshKeys: string[] };

const usersOf = (data: ReturnType<typeof makeBenchData>) => data.userdata.users as StoredUser[];
const devicesOf = (data: ReturnType<typeof makeBenchData>) => (data.tokens as { tokens: { token: string; name: string }[] }).tokens;

describe('bench data', () => {
  it('holds 50 users and 10 devices unless told otherwise', () => {
    const data = makeBenchData();
    expect(MAIN_SIZES).toEqual({ users: 50, devices: 10 });
    expect(usersOf(data)).toHaveLength(50);
    expect(data.users).toEqual(usersOf(data).map((user) => user.username));
    expect(data.users.slice(0, 2)).toEqual(['user01', 'user02']);
    expect(devicesOf(data)).toHaveLength(10);
  });

  it('holds the sizes it is given: 2,000 users of one name length, 200 devices, the token the first one\'s', () => {
    const data = makeBenchData(SCALE_SIZES);
    expect(SCALE_SIZES).toEqual({ users: 2000, devices: 200 });
    expect(data.users).toHaveLength(2000);
    expect([data.users[0], data.users[1999]]).toEqual(['user0001', 'user2000']);
    expect(new Set(data.users).size).toBe(2000);
    const devices = devicesOf(data);
    expect(devices).toHaveLength(200);
    expect(new Set(devices.map((device) => device.token)).size).toBe(200);
    expect(data.token).toBe(devices[0]!.token);
  });

  it('gives every user 1 to 3 keys and a sha512-crypt hash', () => {
    for (const user of usersOf(makeBenchData({ users: 30, devices: 1 }))) {
      expect(user.sshKeys.length).toBeGreaterThanOrEqual(1);
      expect(user.sshKeys.length).toBeLessThanOrEqual(3);
      expect(user.hashedPassword).toMatch(/^\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/);
    }
  });

  it('writes userdata.json of tens of kilobytes for the main part and near a megabyte for the scale part', () => {
    const main = Buffer.byteLength(userdataText(makeBenchData()));
    const scale = Buffer.byteLength(userdataText(makeBenchData(SCALE_SIZES)));
    expect(main).toBeGreaterThan(20_000);
    expect(main).toBeLessThan(30_000);
    expect(scale).toBeGreaterThan(800_000);
    expect(scale).toBeLessThan(1_000_000);
  });
});
