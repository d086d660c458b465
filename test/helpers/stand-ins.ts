// Stand-in executables put first on PATH: they record their exact argument arrays and exit as told.
import fs from 'node:fs';
import path from 'node:path';

export interface StandIn {
  /** Exit code (default 0). */
  exitCode?: number;
  stdout?: string;
  /** Milliseconds to wait before exiting. */
  delayMs?: number;
}

export interface StandInBin {
  folder: string;
  logFile: string;
  /** PATH with the stand-ins first. */
  pathValue: string;
  /** Every recorded call, in order: the command's name and its argument array. */
  calls(): Array<{ command: string; args: string[] }>;
}

/** Writes one Node.js script per command into `<folder>`; each appends `{command, args}` to the log. */
export function makeStandIns(folder: string, commands: Record<string, StandIn>): StandInBin {
  fs.mkdirSync(folder, { recursive: true });
  const logFile = path.join(folder, 'calls.jsonl');
  for (const [name, behaviour] of Object.entries(commands)) {
    const script = `#!${process.execPath}
const fs = require('node:fs');
fs.appendFileSync(${JSON.stringify(logFile)}, JSON.stringify({ command: ${JSON.stringify(name)}, args: process.argv.slice(2) }) + '\\n');
setTimeout(() => {
  process.stdout.write(${JSON.stringify(behaviour.stdout ?? '')});
  process.exitCode = ${behaviour.exitCode ?? 0};
}, ${behaviour.delayMs ?? 0});
`;
    const file = path.join(folder, name);
    fs.writeFileSync(file, script, { mode: 0o755 });
  }
  return {
    folder,
    logFile,
    pathValue: `${folder}${path.delimiter}${process.env.PATH ?? ''}`,
    calls: () =>
      fs.existsSync(logFile)
        ? fs.readFileSync(logFile, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line))
        : [],
  };
}
