// A stand-in `restic` for tests: a tiny fake repository in a JSON file, `--json` progress lines, gates and failures on demand.
import fs from 'node:fs';
import path from 'node:path';

export interface StandInSnapshot {
  id: string;
  short_id: string;
  time: string;
  [field: string]: unknown;
}

/** How the stand-in behaves; tests change it between calls. `gate` names a file the command waits for. */
export interface ResticBehaviour {
  repositoryExists: boolean;
  snapshots: StandInSnapshot[];
  /** `cat config`, `snapshots` and `init` fail with this standard error (a network failure, a wrong password). */
  repositoryError?: string;
  /** `snapshots` waits for this gate first (a slow network). */
  listGate?: string;
  backup?: { progress?: number[]; gate?: string; failWith?: string; exitCode?: number };
  restore?: { gate?: string; failWith?: string };
  /** `forget <id>`: waits for the gate, then fails or removes the snapshot. */
  forget?: { gate?: string; failWith?: string };
  /** What `dump` prints; undefined → "not found in snapshot". */
  dumpUserdata?: string;
}

export interface ResticCall {
  args: string[];
  cwd: string;
  /** RESTIC_PASSWORD as restic received it (tests check it came through the environment). */
  password: string | null;
  rcloneConfig: string | null;
}

export interface ResticStandIn {
  folder: string;
  /** PATH with the stand-in first, then `rest` (default: the test's PATH). */
  pathWith(rest?: string): string;
  setBehaviour(change: Partial<ResticBehaviour>): void;
  behaviour(): ResticBehaviour;
  calls(): ResticCall[];
  /** The file a gate waits for; `open` creates it. */
  gatePath(name: string): string;
  open(name: string): void;
}

const SCRIPT = String.raw`
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const [stateFile, logFile, gateFolder] = process.argv.slice(2, 5);
const args = process.argv.slice(5);
fs.appendFileSync(logFile, JSON.stringify({ args, cwd: process.cwd(), password: process.env.RESTIC_PASSWORD ?? null, rcloneConfig: process.env.RCLONE_CONFIG ?? null }) + '\n');
const load = () => JSON.parse(fs.readFileSync(stateFile, 'utf8'));
// Written aside, then renamed: a test reading the state meanwhile sees the old or the new one, never half a file.
const save = (state) => {
  const aside = stateFile + '.' + process.pid + '.tmp';
  fs.writeFileSync(aside, JSON.stringify(state));
  fs.renameSync(aside, stateFile);
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// Waits for the gate file; gives up when the test's folder is gone, so no stand-in outlives its test.
const waitGate = async (name) => {
  if (!name) return;
  while (!fs.existsSync(path.join(gateFolder, name))) {
    if (!fs.existsSync(gateFolder)) process.exit(1);
    await sleep(20);
  }
};
const fail = (message, code = 1) => { process.stderr.write(message + '\n'); process.exit(code); };
const missing = () => fail('Fatal: unable to open config file: stat /repo/config: no such file or directory\nIs there a repository at the following location?\n/repo');
// Skip the global flags before the subcommand.
let index = 0;
while (index < args.length && args[index].startsWith('-')) index += ['-r', '-o', '--repo', '--option'].includes(args[index]) ? 2 : 1;
const command = args[index];
const rest = args.slice(index + 1).filter((arg) => arg !== '--');
(async () => {
  const state = load();
  if (state.repositoryError && ['cat', 'snapshots', 'init', 'backup'].includes(command)) fail(state.repositoryError);
  switch (command) {
    case 'cat':
      if (!state.repositoryExists) missing();
      process.stdout.write('{"version":2}\n');
      break;
    case 'init':
      state.repositoryExists = true;
      save(state);
      process.stdout.write('created restic repository\n');
      break;
    case 'snapshots': {
      await waitGate(state.listGate);
      const latest = load();
      if (!latest.repositoryExists) missing();
      process.stdout.write(JSON.stringify(latest.snapshots) + '\n');
      break;
    }
    case 'backup': {
      if (!state.repositoryExists) missing();
      const plan = state.backup ?? {};
      for (const fraction of plan.progress ?? [0, 0.5]) {
        process.stdout.write(JSON.stringify({ message_type: 'status', percent_done: fraction, total_files: 3 }) + '\n');
      }
      await waitGate(plan.gate);
      // Exit code 3 is restic's "snapshot saved, but some files could not be read": summary first, then the error.
      if (plan.failWith && plan.exitCode !== 3) fail(plan.failWith, plan.exitCode ?? 1);
      const id = crypto.randomBytes(32).toString('hex');
      const latest = load();
      // --tag and --exclude take a value: neither it nor the flag is a path.
      const tags = [];
      const paths = [];
      for (let at = 0; at < rest.length; at++) {
        if (rest[at] === '--tag') tags.push(rest[++at]);
        else if (rest[at] === '--exclude') at++;
        else if (!rest[at].startsWith('-')) paths.push(rest[at]);
      }
      latest.snapshots.push({ time: new Date().toISOString(), paths, tags, id, short_id: id.slice(0, 8) });
      save(latest);
      process.stdout.write(JSON.stringify({ message_type: 'summary', snapshot_id: id.slice(0, 8) }) + '\n');
      if (plan.failWith) fail(plan.failWith, 3);
      break;
    }
    case 'restore': {
      const plan = state.restore ?? {};
      process.stdout.write('restoring snapshot\n');
      await waitGate(plan.gate);
      if (plan.failWith) fail(plan.failWith);
      break;
    }
    case 'forget': {
      // By id only (rotation is checked against the real restic): the named snapshot leaves the repository.
      await waitGate(state.forget && state.forget.gate);
      if (state.forget && state.forget.failWith) fail(state.forget.failWith);
      const latest = load();
      const named = rest.filter((arg) => !arg.startsWith('-'));
      latest.snapshots = latest.snapshots.filter((each) => !named.includes(each.id) && !named.includes(each.short_id));
      save(latest);
      break;
    }
    case 'dump':
      if (state.dumpUserdata === undefined) fail('cannot dump file: path "' + rest[1] + '" not found in snapshot', 1);
      process.stdout.write(state.dumpUserdata);
      break;
    default:
      fail('stand-in restic: unknown command ' + command);
  }
})();
`;

/** Writes `restic` into `folder`: a shell-free Node launcher passing its files before restic's own arguments. */
export function makeResticStandIn(folder: string, initial: Partial<ResticBehaviour> = {}): ResticStandIn {
  fs.mkdirSync(folder, { recursive: true });
  const stateFile = path.join(folder, 'restic-state.json');
  const logFile = path.join(folder, 'restic-calls.jsonl');
  const gateFolder = path.join(folder, 'gates');
  fs.mkdirSync(gateFolder, { recursive: true });
  const implementation = path.join(folder, 'restic-stand-in.cjs');
  fs.writeFileSync(implementation, SCRIPT);
  const launcher = `#!${process.execPath}
process.argv.splice(2, 0, ${JSON.stringify(stateFile)}, ${JSON.stringify(logFile)}, ${JSON.stringify(gateFolder)});
require(${JSON.stringify(implementation)});
`;
  fs.writeFileSync(path.join(folder, 'restic'), launcher, { mode: 0o755 });
  const write = (behaviour: ResticBehaviour): void => {
    const aside = `${stateFile}.test.tmp`;
    fs.writeFileSync(aside, JSON.stringify(behaviour));
    fs.renameSync(aside, stateFile);
  };
  write({ repositoryExists: true, snapshots: [], ...initial });
  const read = (): ResticBehaviour => JSON.parse(fs.readFileSync(stateFile, 'utf8')) as ResticBehaviour;
  return {
    folder,
    pathWith: (rest = process.env.PATH ?? '') => `${folder}${path.delimiter}${rest}`,
    setBehaviour: (change) => write({ ...read(), ...change }),
    behaviour: read,
    calls: () =>
      fs.existsSync(logFile)
        ? fs.readFileSync(logFile, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as ResticCall)
        : [],
    gatePath: (name) => path.join(gateFolder, name),
    open: (name) => fs.writeFileSync(path.join(gateFolder, name), ''),
  };
}
