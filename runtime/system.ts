// The command runner: external programs by name through PATH, argument arrays, never a shell.
import type { execa as Execa } from 'execa';

export interface RunOptions {
  /** Working folder of the command (never process.chdir: requests run concurrently). */
  cwd?: string;
  /** Milliseconds before the command is killed; every command has one. */
  timeoutMs?: number;
  /** Extra environment variables: the way secrets reach a command, with `input`. */
  env?: Record<string, string>;
  /** Text written to the command's standard input. */
  input?: string;
}

export interface RunResult {
  /** The command's exit code; 127 when it could not be started, 124 when it timed out. */
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface DetachedOptions {
  cwd?: string;
  env?: Record<string, string>;
}

export interface CommandRunner {
  run(command: string, args: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** Starts a command that outlives the request and the API process; its output is discarded. */
  spawnDetached(command: string, args: readonly string[], options?: DetachedOptions): void;
}

export const DEFAULT_TIMEOUT_MS = 120_000;

// execa and its dependencies are some 150 modules, a third of what the server loads: they are
// loaded when the first command runs, not at start-up (most requests never run one).
let execaLoading: Promise<typeof Execa> | undefined;

function loadExeca(): Promise<typeof Execa> {
  execaLoading ??= import('execa').then((module) => module.execa);
  return execaLoading;
}

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
        timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
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
      const argv = [...args];
      void loadExeca().then((execa) => {
        const child = execa(command, argv, {
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
      }, () => undefined);
    },
  };
}
