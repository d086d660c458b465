// The command runner: external programs by name through PATH, argument arrays, never a shell.
import fs from 'node:fs';
import { constants as osConstants } from 'node:os';
import type { execa as Execa } from 'execa';
import type { CommandRunner } from '../core/commands.js';

// execa and its dependencies are many modules: loaded when the first command runs, not at
// start-up (most requests never run one, and the first answer comes sooner).
let execaLoading: Promise<typeof Execa> | undefined;

function loadExeca(): Promise<typeof Execa> {
  execaLoading ??= import('execa').then((module) => module.execa);
  return execaLoading;
}

export const DEFAULT_TIMEOUT_MS = 120_000;

/** execa treats 0 (and a missing value) as "no limit"; a command must never run unbounded. */
export function commandTimeoutMs(timeoutMs: number | undefined): number {
  return timeoutMs !== undefined && Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : DEFAULT_TIMEOUT_MS;
}
type DescriptorNumber = 3;

function assertPlainName(command: string): void {
  if (command === '' || command.includes('\0')) throw new Error('Invalid command name');
}

export function createCommandRunner(baseEnv: NodeJS.ProcessEnv = process.env): CommandRunner {
  return {
    async run(command, args, options = {}) {
      assertPlainName(command);
      const execa = await loadExeca();
      const result = await execa(command, [...args], {
        cwd: options.cwd,
        timeout: commandTimeoutMs(options.timeoutMs),
        env: { ...baseEnv, ...options.env },
        extendEnv: false,
        input: options.input,
        stdin: options.input === undefined ? 'ignore' : 'pipe',
        reject: false,
        shell: false,
        stripFinalNewline: false,
      });
      const notStarted = result.exitCode === undefined && !result.timedOut;
      return {
        exitCode: result.timedOut ? 124 : notStarted ? 127 : (result.exitCode ?? 1),
        stdout: typeof result.stdout === 'string' ? result.stdout : '',
        stderr: notStarted && !result.stderr ? `${command}: could not be started` : typeof result.stderr === 'string' ? result.stderr : '',
        timedOut: result.timedOut,
      };
    },
    spawnDetached(command, args, options = {}) {
      assertPlainName(command);
      const launch = (execa: typeof Execa): void => {
        const child = execa(command, [...args], {
          cwd: options.cwd,
          env: { ...baseEnv, ...options.env },
          extendEnv: false,
          detached: true,
          stdio: 'ignore',
          reject: false,
          shell: false,
          cleanup: false,
        });
        child.unref();
        // A missing program must not crash the API; the request already answered.
        child.catch(() => undefined);
      };
      loadExeca().then(launch, () => undefined);
    },
    async start(command, args, options) {
      assertPlainName(command);
      const execa = await loadExeca();
      // The child gets the files' descriptors themselves, not pipes through this process.
      const stdout = fs.openSync(options.stdoutFile, 'w', 0o600);
      const stderr = fs.openSync(options.stderrFile, 'w', 0o600);
      try {
        const child = execa(command, [...args], {
          cwd: options.cwd,
          env: { ...baseEnv, ...options.env },
          extendEnv: false,
          detached: true,
          cleanup: false,
          stdin: 'ignore',
          // execa's types name only descriptors 3–9, but any open descriptor goes straight to spawn.
          stdout: stdout as DescriptorNumber,
          stderr: stderr as DescriptorNumber,
          timeout: options.timeoutMs,
          reject: false,
          shell: false,
        });
        const exited = child.then((result) => {
          if (result.timedOut) return { exitCode: 124, timedOut: true };
          if (result.exitCode !== undefined) return { exitCode: result.exitCode, timedOut: false };
          const signal = result.signal === undefined ? undefined : osConstants.signals[result.signal];
          return { exitCode: signal === undefined ? 127 : 128 + signal, timedOut: false };
        });
        return { pid: child.pid, exited };
      } finally {
        fs.closeSync(stdout);
        fs.closeSync(stderr);
      }
    },
  };
}
