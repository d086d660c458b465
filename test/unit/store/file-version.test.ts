// File versions: what counts as a change, and when a version is old enough to be trusted.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fileVersion, hasSettled, sameVersion, type FileVersion } from '../../../store/file-version.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();

const changedAt = (ms: number): FileVersion => ({ dev: 1n, ino: 2n, size: 3n, mtimeNs: BigInt(ms) * 1_000_000n, ctimeNs: BigInt(ms) * 1_000_000n });

describe('fileVersion', () => {
  it('is the same for an untouched file and differs after a write, a rename or a size change', () => {
    const before = fileVersion(temp.paths.tokens)!;
    expect(sameVersion(before, fileVersion(temp.paths.tokens)!)).toBe(true);
    fs.renameSync(temp.paths.tokens, `${temp.paths.tokens}.moved`);
    fs.copyFileSync(`${temp.paths.tokens}.moved`, temp.paths.tokens);
    expect(sameVersion(before, fileVersion(temp.paths.tokens)!)).toBe(false);
    const copied = fileVersion(temp.paths.tokens)!;
    fs.appendFileSync(temp.paths.tokens, ' ');
    expect(sameVersion(copied, fileVersion(temp.paths.tokens)!)).toBe(false);
  });

  it('is null for a missing file', () => {
    expect(fileVersion(`${temp.paths.tokens}.absent`)).toBeNull();
  });
});

describe('hasSettled', () => {
  it('trusts a version only once its change time is further back than the settle time', () => {
    const now = 1_700_000_000_000;
    expect(hasSettled(changedAt(now - 3001), now, 3000)).toBe(true);
    expect(hasSettled(changedAt(now - 2999), now, 3000)).toBe(false);
    expect(hasSettled(changedAt(now), now, 3000)).toBe(false);
    // A clock set back after the change: the version is in the future, never trusted.
    expect(hasSettled(changedAt(now + 60_000), now, 3000)).toBe(false);
  });
});
