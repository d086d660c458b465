// Stand-in executables put first on PATH: they record their exact argument arrays and exit as told.
import fs from 'node:fs';
import path from 'node:path';
import { createCommandRunner } from '../../runtime/system.js';
import { type CommandRunner } from '../../core/commands.js';

export interface StandIn {
  /** Exit code (default 0). */
  exitCode?: number;
  stdout?: string;
  /** Milliseconds to wait before exiting. */
  delayMs?: number;
  /**
   * Stay running until this many calls (of any stand-in in the folder) have been logged, for at
   * most `delayMs`: calls made together all overlap, calls made one after another cannot.
   */
  waitForCalls?: number;
}

/** When one call ran, by the clock of the stand-in process (milliseconds since the epoch). */
export interface CallTiming {
  command: string;
  args: string[];
  startedAt: number;
  endedAt: number;
}

export interface StandInBin {
  folder: string;
  logFile: string;
  /** PATH with the stand-ins first. */
  pathValue: string;
  /** Every recorded call, in order: the command's name and its argument array. */
  calls(): Array<{ command: string; args: string[] }>;
  /** Start and end time of every call that has finished, in the order they finished. */
  timings(): CallTiming[];
}

function readJsonLines<T>(file: string): T[] {
  return fs.existsSync(file)
    ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as T)
    : [];
}

/** Writes one Node.js script per command into `<folder>`; each appends `{command, args}` to the log. */
export function makeStandIns(folder: string, commands: Record<string, StandIn>): StandInBin {
  fs.mkdirSync(folder, { recursive: true });
  const logFile = path.join(folder, 'calls.jsonl');
  const timingFile = path.join(folder, 'timings.jsonl');
  for (const [name, behaviour] of Object.entries(commands)) {
    const script = `#!${process.execPath}
const fs = require('node:fs');
const startedAt = Date.now();
const call = { command: ${JSON.stringify(name)}, args: process.argv.slice(2) };
fs.appendFileSync(${JSON.stringify(logFile)}, JSON.stringify(call) + '\\n');
const waitFor = ${behaviour.waitForCalls ?? 0};
const deadline = startedAt + ${behaviour.delayMs ?? 0};
const finish = () => {
  process.stdout.write(${JSON.stringify(behaviour.stdout ?? '')});
  fs.appendFileSync(${JSON.stringify(timingFile)}, JSON.stringify({ ...call, startedAt, endedAt: Date.now() }) + '\\n');
  process.exitCode = ${behaviour.exitCode ?? 0};
};
const logged = () => fs.readFileSync(${JSON.stringify(logFile)}, 'utf8').split('\\n').filter(Boolean).length;
const wait = () => {
  if (Date.now() >= deadline || (waitFor > 0 && logged() >= waitFor)) return finish();
  setTimeout(wait, 10);
};
if (waitFor > 0) wait();
else setTimeout(finish, ${behaviour.delayMs ?? 0});
`;
    const file = path.join(folder, name);
    fs.writeFileSync(file, script, { mode: 0o755 });
  }
  return {
    folder,
    logFile,
    pathValue: `${folder}${path.delimiter}${process.env.PATH ?? ''}`,
    calls: () => readJsonLines(logFile),
    timings: () => readJsonLines(timingFile),
  };
}

/** The real command runner, finding commands through `PATH` with the stand-ins first. */
export function standInRunner(bin: StandInBin, env: Record<string, string> = {}): CommandRunner {
  return createCommandRunner({ ...process.env, ...env, PATH: bin.pathValue });
}
