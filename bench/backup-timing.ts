// Times a backup and a restore of 50 MB of random data through the API against a local repository, and restic alone as the baseline.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_NODE_FLAGS } from '../runtime/node-flags.js';

const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const RUNS = 3;
const MEGABYTES = 50;
const PASSWORD = 'bench repository password';
const TOKEN = 'bench-token-0123456789abcdefghijklmnopqrstuv';

interface Server {
  url: string;
  child: ChildProcess;
}

function prepareRoot(root: string): void {
  const userdata = path.join(root, 'etc/nixos/userdata');
  fs.mkdirSync(userdata, { recursive: true });
  fs.copyFileSync(path.join(PROJECT, 'test/fixtures/userdata.json'), path.join(userdata, 'userdata.json'));
  fs.writeFileSync(path.join(userdata, 'tokens.json'), JSON.stringify({ tokens: [{ token: TOKEN, name: 'bench', date: '2024-01-01T00:00:00.000000Z' }] }), { mode: 0o600 });
  // 50 files of 1 MB: a folder of photos or mail rather than one big file.
  const data = path.join(root, 'var/lib/bench-data');
  fs.mkdirSync(data, { recursive: true });
  for (let index = 0; index < MEGABYTES; index += 1) fs.writeFileSync(path.join(data, `file-${index}.bin`), randomBytes(1024 * 1024));
}

async function startServer(root: string, env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, path.join(PROJECT, 'dist/runtime/serve.cjs')], {
    env: { ...process.env, ...env, SELFPRIVACY_ROOT: root, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"([^"]+)"/.exec(output);
      if (match) resolve(match[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  // Keep draining its log lines, unread.
  child.stdout?.removeAllListeners('data');
  child.stdout?.resume();
  return { url, child };
}

async function api(server: Server, method: string, route: string, body?: unknown): Promise<any> {
  const response = await fetch(`${server.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status !== 200) throw new Error(`${method} ${route} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

async function until(server: Server, state: string): Promise<void> {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`no ${state} within 10 minutes`);
    const status = await api(server, 'GET', '/services/restic/backup/status');
    if (status.status === state) return;
    if (status.status === 'ERROR') throw new Error(`backup ERROR: ${status.error_message}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function restic(repository: string, args: string[], cwd: string): void {
  execFileSync('restic', ['--no-cache', '-r', repository, ...args], { cwd, env: { ...process.env, RESTIC_PASSWORD: PASSWORD }, stdio: 'ignore' });
}

function seconds(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function main(): Promise<void> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-backup-bench-'));
  const bin = path.join(scratch, 'bin');
  fs.mkdirSync(bin);
  // systemctl stand-in: a restore stops and starts services; here it only succeeds.
  fs.writeFileSync(path.join(bin, 'systemctl'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  const root = path.join(scratch, 'root');
  prepareRoot(root);
  const timings = { apiBackup: [] as number[], apiRestore: [] as number[], resticBackup: [] as number[], resticRestore: [] as number[] };
  try {
    for (let run = 0; run < RUNS; run += 1) {
      // Baseline: restic alone, same data, a fresh repository.
      const baseline = path.join(scratch, `baseline-${run}`);
      restic(baseline, ['init'], root);
      let started = process.hrtime.bigint();
      restic(baseline, ['backup', '--', 'var', 'etc/nixos/userdata/userdata.json'], root);
      timings.resticBackup.push(seconds(started));
      const target = path.join(scratch, `baseline-restore-${run}`);
      started = process.hrtime.bigint();
      restic(baseline, ['restore', '--target', target, 'latest'], root);
      timings.resticRestore.push(seconds(started));
      fs.rmSync(target, { recursive: true });

      // Through the API: a fresh (initialised) repository, the same data.
      const repository = path.join(scratch, `api-${run}`);
      restic(repository, ['init'], root);
      const server = await startServer(root, { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, SELFPRIVACY_RESTIC_REPOSITORY: repository, RESTIC_PASSWORD: PASSWORD });
      try {
        await until(server, 'INITIALIZED');
        started = process.hrtime.bigint();
        await api(server, 'PUT', '/services/restic/backup/create');
        await until(server, 'INITIALIZED');
        timings.apiBackup.push(seconds(started));
        const [snapshot] = await api(server, 'GET', '/services/restic/backup/list');
        fs.rmSync(path.join(root, 'var/lib/bench-data'), { recursive: true });
        started = process.hrtime.bigint();
        await api(server, 'PUT', '/services/restic/backup/restore', { backupId: snapshot.short_id });
        await until(server, 'INITIALIZED');
        timings.apiRestore.push(seconds(started));
        if (fs.readdirSync(path.join(root, 'var/lib/bench-data')).length !== MEGABYTES) throw new Error('restore incomplete');
      } finally {
        server.child.kill('SIGTERM');
      }
      fs.rmSync(baseline, { recursive: true });
      fs.rmSync(repository, { recursive: true });
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  const report = (name: string, throughApi: number[], alone: number[]): void => {
    const format = (values: number[]) => values.map((value) => value.toFixed(2)).join(', ');
    process.stdout.write(`${name}: API median ${median(throughApi).toFixed(2)} s [${format(throughApi)}]; restic alone median ${median(alone).toFixed(2)} s [${format(alone)}]; ratio ${(median(throughApi) / median(alone)).toFixed(2)}\n`);
  };
  process.stdout.write(`${MEGABYTES} MB of random data (${MEGABYTES} files), local repository, ${RUNS} runs, ${execFileSync('restic', ['version'], { encoding: 'utf8' }).trim()}\n`);
  report('backup ', timings.apiBackup, timings.resticBackup);
  report('restore', timings.apiRestore, timings.resticRestore);
}

await main();
