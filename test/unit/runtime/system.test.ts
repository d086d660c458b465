import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCommandRunner } from '../../../runtime/system.js';
import { type CommandRunner } from '../../../core/commands.js';
import { makeStandIns, type StandInBin } from '../../helpers/stand-ins.js';

let folder: string;
let bin: StandInBin;
let runner: CommandRunner;

beforeEach(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-runner-'));
  bin = makeStandIns(path.join(folder, 'bin'), {
    recorder: { stdout: 'recorded\n' },
    failing: { exitCode: 3, stdout: 'partial output' },
  });
  runner = createCommandRunner({ ...process.env, PATH: bin.pathValue });
});
afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

const hostile = (marker: string): string[] => [
  `$(touch ${marker})`,
  `; touch ${marker}`,
  `\`touch ${marker}\``,
  `| touch ${marker}`,
  `&& touch ${marker}`,
  `${marker} > ${marker}`,
  "it's \"quoted\" *",
  '',
  '--flag=value with spaces',
  '\n',
];

describe('run', () => {
  it('runs a command by name through PATH with the exact argument array', async () => {
    const result = await runner.run('recorder', ['first', 'two words', '--opt=3']);
    expect(result).toEqual({ exitCode: 0, stdout: 'recorded\n', stderr: '', timedOut: false });
    expect(bin.calls()).toEqual([{ command: 'recorder', args: ['first', 'two words', '--opt=3'] }]);
  });

  it('passes shell syntax in arguments literally and never executes it', async () => {
    const marker = path.join(folder, 'pwned');
    const args = hostile(marker);
    await runner.run('recorder', args);
    expect(bin.calls()).toEqual([{ command: 'recorder', args }]);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('treats shell syntax in the command name as a name, not as a command line', async () => {
    const marker = path.join(folder, 'pwned-by-name');
    const result = await runner.run(`recorder; touch ${marker}`, []);
    expect(result.exitCode).toBe(127);
    expect(fs.existsSync(marker)).toBe(false);
    expect(bin.calls()).toEqual([]);
  });

  it('runs in the given working folder', async () => {
    const work = fs.realpathSync(fs.mkdtempSync(path.join(folder, 'work-')));
    const result = await runner.run('pwd', [], { cwd: work });
    expect(result.stdout.trim()).toBe(work);
  });

  it('adds the given environment variables to the base environment', async () => {
    const result = await runner.run('sh', ['-c', 'printf "%s|%s" "$SP_SECRET" "$PATH"'], { env: { SP_SECRET: 'from-env' } });
    expect(result.stdout).toBe(`from-env|${bin.pathValue}`);
  });

  it('does not pass the API process\'s own environment beyond the base it was given', async () => {
    process.env.SP_NOT_IN_BASE = 'leak';
    try {
      const isolated = createCommandRunner({ PATH: process.env.PATH ?? '' });
      const result = await isolated.run('sh', ['-c', 'printf "%s" "${SP_NOT_IN_BASE:-absent}"']);
      expect(result.stdout).toBe('absent');
    } finally {
      delete process.env.SP_NOT_IN_BASE;
    }
  });

  it('writes the input to standard input', async () => {
    const result = await runner.run('cat', [], { input: 'secret via stdin\n' });
    expect(result.stdout).toBe('secret via stdin\n');
  });

  it('returns a non-zero exit code with the output instead of throwing', async () => {
    const result = await runner.run('failing', ['x']);
    expect(result).toEqual({ exitCode: 3, stdout: 'partial output', stderr: '', timedOut: false });
  });

  it('keeps standard error apart from standard output', async () => {
    const result = await runner.run('sh', ['-c', 'echo out; echo err >&2; exit 2']);
    expect(result).toMatchObject({ exitCode: 2, stdout: 'out\n', stderr: 'err\n' });
  });

  it('answers a missing command with exit code 127 and a message, not an exception', async () => {
    const result = await runner.run('sp-no-such-command-anywhere', ['a']);
    expect(result.exitCode).toBe(127);
    expect(result.timedOut).toBe(false);
    expect(result.stderr).toContain('sp-no-such-command-anywhere');
  });

  it('kills a command that runs past its timeout and answers 124', async () => {
    const result = await runner.run('sleep', ['30'], { timeoutMs: 300 });
    expect(result.exitCode).toBe(124);
    expect(result.timedOut).toBe(true);
  });

  it('rejects an empty command name', async () => {
    await expect(runner.run('', [])).rejects.toThrow();
  });
});

describe('spawnDetached', () => {
  it('starts a command with its argument array and returns at once', async () => {
    runner.spawnDetached('recorder', ['$(reboot)', 'now']);
    for (let i = 0; i < 200 && bin.calls().length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(bin.calls()).toEqual([{ command: 'recorder', args: ['$(reboot)', 'now'] }]);
  });

  it('does not throw or crash for a missing command', async () => {
    expect(() => runner.spawnDetached('sp-no-such-command-anywhere', [])).not.toThrow();
    // An unhandled rejection would fail the test run after this tick.
    await new Promise((resolve) => setTimeout(resolve, 200));
  });
});
