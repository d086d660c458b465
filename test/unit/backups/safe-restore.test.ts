// Moving a staged restore into the root: no write through a link, whatever depth it is planted at.
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { moveStagedTree, prepareRestoreStaging, refusedPathsMessage } from '../../../backups/safe-restore.js';
import { canMountTmpfs, mountTmpfs, unmount } from '../../helpers/tmpfs.js';
import { useTempFolder } from '../../helpers/setup.js';

const scratch = useTempFolder('sp-safe-restore-');
let root: string;
let staging: string;
let outside: string;

beforeEach(() => {
  root = path.join(scratch.path, 'root');
  outside = path.join(scratch.path, 'outside');
  staging = path.join(root, 'var/lib/selfprivacy-api/restore-staging');
  fs.mkdirSync(outside, { recursive: true });
  prepareRestoreStaging(root, staging);
});

function put(base: string, relative: string, content: string, mode = 0o644): void {
  const file = path.join(base, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content, { mode });
  fs.chmodSync(file, mode);
}
const read = (base: string, relative: string): string => fs.readFileSync(path.join(base, relative), 'utf8');

describe('prepareRestoreStaging', () => {
  it('makes an empty folder only root can enter, emptying one left by an earlier restore', () => {
    put(staging, 'var/left-over', 'x');
    prepareRestoreStaging(root, staging);
    expect(fs.readdirSync(staging)).toEqual([]);
    expect(fs.statSync(staging).mode & 0o777).toBe(0o700);
  });

  it('refuses a staging folder reached through a link below the root', () => {
    fs.rmSync(path.join(root, 'var/lib/selfprivacy-api'), { recursive: true });
    fs.symlinkSync(outside, path.join(root, 'var/lib/selfprivacy-api'));
    expect(() => prepareRestoreStaging(root, staging)).toThrow(/symbolic link/);
    expect(fs.readdirSync(outside)).toEqual([]);
  });
});

describe('moveStagedTree', () => {
  it('moves new files and folders in, merges into existing folders, and replaces changed files', () => {
    put(root, 'var/lib/app/kept-here', 'live only');
    put(root, 'var/lib/app/config', 'damaged');
    put(staging, 'var/lib/app/config', 'from backup', 0o600);
    put(staging, 'var/lib/new/deep/file', 'new');
    const report = moveStagedTree(staging, root);
    expect(report.refused).toEqual([]);
    expect(read(root, 'var/lib/app/config')).toBe('from backup');
    expect(fs.statSync(path.join(root, 'var/lib/app/config')).mode & 0o777).toBe(0o600);
    expect(read(root, 'var/lib/app/kept-here')).toBe('live only');
    expect(read(root, 'var/lib/new/deep/file')).toBe('new');
  });

  it('never writes through a folder swapped for a link, at any depth, and reports it', () => {
    put(outside, 'tokens.json', 'the real secrets');
    fs.mkdirSync(path.join(root, 'var/lib/user/a'), { recursive: true });
    fs.symlinkSync(outside, path.join(root, 'var/lib/user/a/b'));
    put(staging, 'var/lib/user/a/b/tokens.json', 'the backup\'s copy');
    put(staging, 'var/lib/user/a/b/new-file', 'would land outside');
    const report = moveStagedTree(staging, root);
    expect(read(outside, 'tokens.json')).toBe('the real secrets');
    expect(fs.readdirSync(outside)).toEqual(['tokens.json']);
    expect(report.refused).toEqual(['var/lib/user/a/b (a symbolic link stands where the backup has a folder)']);
    expect(refusedPathsMessage(report)).toMatch(/1 path\(s\) were not restored.*var\/lib\/user\/a\/b/);
  });

  it('replaces a link planted in a file\'s place by the file, leaving the link\'s target alone', () => {
    put(outside, 'victim', 'untouched');
    fs.mkdirSync(path.join(root, 'var/lib/app'), { recursive: true });
    fs.symlinkSync(path.join(outside, 'victim'), path.join(root, 'var/lib/app/config'));
    put(staging, 'var/lib/app/config', 'from backup');
    expect(moveStagedTree(staging, root).refused).toEqual([]);
    expect(fs.lstatSync(path.join(root, 'var/lib/app/config')).isFile()).toBe(true);
    expect(read(root, 'var/lib/app/config')).toBe('from backup');
    expect(read(outside, 'victim')).toBe('untouched');
  });

  it('restores a link of the backup as a link, without following it', () => {
    fs.mkdirSync(path.join(staging, 'var/lib/app'), { recursive: true });
    fs.symlinkSync('/etc/passwd', path.join(staging, 'var/lib/app/current'));
    expect(moveStagedTree(staging, root).refused).toEqual([]);
    expect(fs.readlinkSync(path.join(root, 'var/lib/app/current'))).toBe('/etc/passwd');
  });

  it('leaves a file standing where the backup has a folder, and the reverse, and reports both', () => {
    put(root, 'var/lib/was-folder', 'now a file');
    put(staging, 'var/lib/was-folder/inside', 'x');
    put(root, 'var/lib/was-file/inside', 'now a folder');
    put(staging, 'var/lib/was-file', 'x');
    const report = moveStagedTree(staging, root);
    expect(report.refused.sort()).toEqual([
      'var/lib/was-file (a folder stands where the backup has a file)',
      'var/lib/was-folder (a file stands where the backup has a folder)',
    ]);
    expect(read(root, 'var/lib/was-folder')).toBe('now a file');
  });

  it('never writes the paths it is told to keep out (the API\'s own records)', () => {
    put(root, 'var/log/selfprivacy-api/audit.log', 'live entries\n');
    put(staging, 'var/log/selfprivacy-api/audit.log', 'old entries\n');
    put(staging, 'var/log/nginx/access.log', 'restored');
    expect(moveStagedTree(staging, root, ['var/log/selfprivacy-api']).refused).toEqual([]);
    expect(read(root, 'var/log/selfprivacy-api/audit.log')).toBe('live entries\n');
    expect(read(root, 'var/log/nginx/access.log')).toBe('restored');
  });

  // A service's data folder on another disk (a SelfPrivacy volume): rename() cannot cross it, the copy must not follow links either.
  it.runIf(canMountTmpfs)('copies into a folder on another file system, with the mode, and still never through a link', () => {
    const volume = path.join(root, 'var/lib/nextcloud');
    fs.mkdirSync(volume, { recursive: true });
    mountTmpfs(volume, 1024);
    try {
      put(outside, 'victim', 'untouched');
      fs.symlinkSync(path.join(outside, 'victim'), path.join(volume, 'config.php'));
      fs.symlinkSync(outside, path.join(volume, 'data'));
      put(staging, 'var/lib/nextcloud/config.php', 'from backup', 0o640);
      put(staging, 'var/lib/nextcloud/data/alice/photo', 'would land outside');
      put(staging, 'var/lib/nextcloud/store/new', 'new folder on the volume');
      const report = moveStagedTree(staging, root);
      expect(report.refused).toEqual(['var/lib/nextcloud/data (a symbolic link stands where the backup has a folder)']);
      expect(read(volume, 'config.php')).toBe('from backup');
      expect(fs.lstatSync(path.join(volume, 'config.php')).mode & 0o7777).toBe(0o640);
      expect(read(volume, 'store/new')).toBe('new folder on the volume');
      expect(fs.readdirSync(outside)).toEqual(['victim']);
      expect(read(outside, 'victim')).toBe('untouched');
    } finally {
      unmount(volume);
    }
  });
});
