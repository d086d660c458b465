// A command runner for tests: records each call and answers from a table instead of running anything.
import type { CommandRunner, RunOptions, RunResult } from '../../core/commands.js';

export interface RecordedCommand {
  command: string;
  args: string[];
  options?: RunOptions;
  detached?: boolean;
}

/** Records calls and answers from `answer` (exit code 0, empty output by default). */
export function fakeRunner(answer: (command: string, args: string[]) => Partial<RunResult> = () => ({})): CommandRunner & { calls: RecordedCommand[] } {
  const calls: RecordedCommand[] = [];
  return {
    calls,
    async run(command, args, options) {
      calls.push({ command, args: [...args], options });
      return { exitCode: 0, stdout: '', stderr: '', timedOut: false, ...answer(command, [...args]) };
    },
    spawnDetached(command, args) {
      calls.push({ command, args: [...args], detached: true });
    },
    async start(command, args, options) {
      calls.push({ command, args: [...args], options, detached: true });
      return { pid: undefined, exited: Promise.resolve({ exitCode: 0, timedOut: false }) };
    },
  };
}
