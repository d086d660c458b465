import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../kit/project-files.js';
import { findNixInstantiate, projectNixFiles, projectText } from '../helpers/nix-files.js';

const nixInstantiate = findNixInstantiate();
// Parsing and evaluating build nothing, so Nix needs no build users; without this a machine with no
// nixbld group (Debian's nix-bin without its systemd set-up) prints a warning on every call.
const NIX_ENV = { ...process.env, NIX_CONFIG: 'build-users-group =' };
// CI installs nix-bin (.ci/run): there a missing nix-instantiate is a broken set-up, not a reason to skip.
const mustRun = process.env.CI === 'true';
const skipNote = nixInstantiate === null ? ' — SKIPPED: nix-instantiate is not on PATH here (apt-get install nix-bin)' : '';

function parse(file: string): { status: number | null; stderr: string } {
  const result = spawnSync(nixInstantiate as string, ['--parse', file], { cwd: PROJECT_ROOT, encoding: 'utf8', env: NIX_ENV });
  return { status: result.status, stderr: result.stderr };
}

function evalJson(expression: string): unknown {
  const output = execFileSync(nixInstantiate as string, ['--eval', '--strict', '--json', '--expr', expression], { cwd: PROJECT_ROOT, encoding: 'utf8', env: NIX_ENV });
  return JSON.parse(output);
}

describe('nix-instantiate on this machine', () => {
  it.runIf(mustRun)('is installed where CI runs', () => {
    expect(nixInstantiate).not.toBeNull();
  });
});

describe.skipIf(nixInstantiate === null)(`every .nix file of the project parses${skipNote}`, () => {
  it('finds the flake, the package and the module', () => {
    expect(projectNixFiles()).toEqual(expect.arrayContaining(['flake.nix', 'nix/module.nix', 'nix/package.nix', 'nix/npm-lock.nix']));
  });

  it.each(projectNixFiles())('%s', (file) => {
    const { status, stderr } = parse(file);
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });

  it('is a check that fails on a syntax error', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-nix-'));
    try {
      const broken = path.join(folder, 'broken.nix');
      fs.writeFileSync(broken, projectText('nix/module.nix').replace('cfg = config.services.selfprivacy-api;', 'cfg = config.services.selfprivacy-api'));
      const { status, stderr } = parse(broken);
      expect(status).not.toBe(0);
      expect(stderr).toContain('syntax error');
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe.skipIf(nixInstantiate === null)(`nix/npm-lock.nix, evaluated by Nix${skipNote}`, () => {
  type Lock = { packages: Record<string, { version?: string; resolved?: string; integrity?: string }> };
  // A made-up registry: the builder supplies the real one; given with and without its final slash.
  const REGISTRY = 'https://registry.example';
  const lock = JSON.parse(projectText('package-lock.json')) as Lock;

  it('gives every package of package-lock.json the registry address of its tarball', () => {
    const filled = evalJson(`import ./nix/npm-lock.nix { lock = builtins.fromJSON (builtins.readFile ./package-lock.json); registry = "${REGISTRY}/"; }`) as Lock;
    expect(Object.keys(filled.packages)).toEqual(Object.keys(lock.packages));
    for (const [key, entry] of Object.entries(filled.packages)) {
      if (key === '') {
        expect(entry.resolved).toBeUndefined();
        continue;
      }
      // The name is the last package folder of the key; the tarball is named without the scope.
      const name = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
      const tarball = `${name.split('/').pop()}-${entry.version}.tgz`;
      expect(entry.resolved, key).toBe(`${REGISTRY}/${name}/-/${tarball}`);
      expect(entry.integrity, key).toBe(lock.packages[key]?.integrity);
    }
  });

  it('gives the addresses the registry names (scoped, nested and plain packages)', () => {
    const filled = evalJson(`import ./nix/npm-lock.nix { lock = builtins.fromJSON (builtins.readFile ./package-lock.json); registry = "${REGISTRY}/"; }`) as Lock;
    const versionOf = (key: string): string => lock.packages[key]?.version as string;
    expect(filled.packages['node_modules/zod']?.resolved).toBe(`${REGISTRY}/zod/-/zod-${versionOf('node_modules/zod')}.tgz`);
    expect(filled.packages['node_modules/@types/node']?.resolved).toBe(`${REGISTRY}/@types/node/-/node-${versionOf('node_modules/@types/node')}.tgz`);
    expect(filled.packages['node_modules/eslint/node_modules/ajv']?.resolved).toBe(
      `${REGISTRY}/ajv/-/ajv-${versionOf('node_modules/eslint/node_modules/ajv')}.tgz`,
    );
  });

  it('keeps an address npm wrote, and leaves links and the project itself alone', () => {
    const sample = {
      packages: {
        '': { name: 'x', version: '1.0.0' },
        'node_modules/kept': { version: '1.0.0', resolved: 'https://mirror.example/kept.tgz', integrity: 'sha512-a' },
        'node_modules/linked': { resolved: 'packages/linked', link: true },
        'node_modules/alias': { name: '@real/name', version: '2.0.0', integrity: 'sha512-b' },
      },
    };
    const filled = evalJson(`import ./nix/npm-lock.nix { lock = builtins.fromJSON ${JSON.stringify(JSON.stringify(sample))}; registry = "${REGISTRY}"; }`) as Lock;
    expect(filled.packages).toEqual({
      ...sample.packages,
      'node_modules/alias': { ...sample.packages['node_modules/alias'], resolved: `${REGISTRY}/@real/name/-/name-2.0.0.tgz` },
    });
  });
});
