// What running a program looks like to the code that asks for it; runtime/system.ts is the one implementation (execa, no shell).

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

export interface StartOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Files (truncated first) that receive the command's standard output and error directly. */
  stdoutFile: string;
  stderrFile: string;
  /** Milliseconds before the command is killed. */
  timeoutMs: number;
}

export interface StartedCommand {
  /** Process id; undefined when the command could not be started. */
  pid: number | undefined;
  /** Settles when the command ends: 127 when it could not be started, 124 timed out, 128+n killed by signal n. */
  exited: Promise<{ exitCode: number; timedOut: boolean }>;
}

export interface CommandRunner {
  run(command: string, args: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** Starts a command that outlives the request and the API process; its output is discarded. */
  spawnDetached(command: string, args: readonly string[], options?: DetachedOptions): void;
  /**
   * Starts a long command in its own process group with its output going straight into files,
   * so it keeps running (and its output keeps being readable) if the API restarts meanwhile.
   */
  start(command: string, args: readonly string[], options: StartOptions): Promise<StartedCommand>;
}
