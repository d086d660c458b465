// `npm run bench:loop`: how long the inner loop takes. Times (1) one unit test file through vitest,
// spawn to exit, and (2) `npm run serve` on a built tree, spawn to its "listening" log line; each
// several times, printing every run and the median. Plain JavaScript, so it runs without a build
// (the serve measure builds first when dist/ is stale, and that first build is not timed).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { staleBuildReason } from '../scripts/dist-freshness.mjs';

const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.RUNS ?? 5);
const UNIT_FILE = process.argv[2] ?? 'test/unit/users/list-users.test.ts';
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Milliseconds from spawn until `done(output)` says so (or the process exits, when `done` is absent). */
function timeProcess(command, args, env, done) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: PROJECT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true, shell: false });
    let output = '';
    let settled = false;
    const finish = (error) => {
      if (settled) return;
      settled = true;
      const elapsed = performance.now() - started;
      // npm runs the server under a shell: end the whole process group.
      if (child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
      if (error === undefined) resolve(elapsed);
      else reject(error);
    };
    const collect = (chunk) => {
      output += chunk;
      if (done?.(output)) finish();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('exit', (code) => {
      if (done === undefined && code === 0) finish();
      else finish(new Error(`${command} ${args.join(' ')} exited with ${code} before it was done:\n${output}`));
    });
  });
}

async function measure(label, runOnce) {
  const times = [];
  for (let run = 0; run < RUNS; run += 1) times.push(await runOnce());
  const shown = times.map((ms) => `${Math.round(ms)}`).join(', ');
  process.stdout.write(`${label}: median ${Math.round(median(times))} ms (runs: ${shown} ms)\n`);
}

if (staleBuildReason(PROJECT) !== null) execFileSync(NPM, ['run', 'build', '--silent'], { cwd: PROJECT, stdio: 'inherit', shell: false });

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-loop-times-'));
try {
  // A root shaped like the local trial's (userdata.json, tokens.json, domain), from the built module.
  const { prepareTrialRoot } = await import(path.join(PROJECT, 'dist/runtime/trial-root.js'));
  const trial = prepareTrialRoot(root);
  process.stdout.write(`${os.cpus().length} CPUs, load average ${os.loadavg().map((load) => load.toFixed(1)).join(' ')}, ${RUNS} runs each\n`);
  await measure(`one unit test file (vitest run ${UNIT_FILE})`, () => timeProcess(path.join(PROJECT, 'node_modules/.bin/vitest'), ['run', UNIT_FILE], {}));
  await measure('npm run serve on a built tree, until "listening"', () =>
    timeProcess(NPM, ['run', 'serve', '--silent'], { SELFPRIVACY_ROOT: trial.root, PORT: '0', HOST: '127.0.0.1' }, (output) => output.includes('"listening"')),
  );
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
