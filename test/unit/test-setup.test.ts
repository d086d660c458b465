// The set-up helper itself: each test gets its own root and folder, and nothing is left behind.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useTempFolder, useTempRoot, useTempRoots } from '../helpers/setup.js';

const temp = useTempRoot({ domain: 'setup.example' });
const scratch = useTempFolder('sp-setup-test-');
const makeRoot = useTempRoots();

// The tests of this file run in order: each looks at what the one before it left.
const earlier: { root?: string; folder?: string; made?: string } = {};

// Module level is outside any test: no hook has made a root, so the stand-in must refuse rather than
// hand out a stale one.
let outsideError: unknown;
try {
  void temp.root;
} catch (error) {
  outsideError = error;
}

describe('test set-up helper', () => {
  it('refuses to hand out a root outside a test, where no hook has made one', () => {
    expect(outsideError).toBeInstanceOf(Error);
    expect((outsideError as Error).message).toMatch(/only while a test runs/);
  });

  it('gives a test a root shaped like a server, with the options asked for, and an empty folder', () => {
    expect(temp.readUserdata()).toHaveProperty('username');
    expect(fs.readFileSync(temp.paths.domainFile, 'utf8')).toBe('setup.example\n');
    expect(fs.readdirSync(scratch.path)).toEqual([]);
    const made = makeRoot({ domain: 'made.example' });
    expect(fs.readFileSync(made.paths.domainFile, 'utf8')).toBe('made.example\n');
    Object.assign(earlier, { root: temp.root, folder: scratch.path, made: made.root });
  });

  it('gives the next test new ones and has removed those of the test before', () => {
    expect(temp.root).not.toBe(earlier.root);
    expect(scratch.path).not.toBe(earlier.folder);
    for (const gone of [earlier.root, earlier.folder, earlier.made]) expect(fs.existsSync(gone as string), gone).toBe(false);
  });
});
