// Starts a server script as its own node process on 127.0.0.1:0, its log going to a file.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { httpCall } from './http-call.js';

const LISTENING = /"msg":"listening","url":"([^"]+)"/;
const START_TIMEOUT_MS = 30_000;
const POLL_MS = 2;

export interface ServerLaunch {
  /** The compiled script node runs. */
  script: string;
  /** Flags for node itself, before the script. */
  nodeFlags?: readonly string[];
  root: string;
  logFile: string;
  env?: Record<string, string>;
}

export interface BenchServer {
  url: string;
  /** Milliseconds from spawn to the first 200 of GET /api/version. */
  coldStartMs: number;
  /**
   * The most resident memory the process has had so far, in MiB (Linux /proc VmHWM). Not the
   * memory now: V8 gives young-generation pages back when the allocation rate falls, so that
   * figure follows whichever scenario ran last (docs/benchmarks.md, "How it measures").
   */
  peakRssMiB(): number | null;
  /** CPU time the process has used so far, user and system, in milliseconds (Linux /proc). */
  cpuMs(): number | null;
  stop(): Promise<void>;
}

function readLog(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

async function waitForUrl(child: ChildProcess, logFile: string): Promise<string> {
  const deadline = performance.now() + START_TIMEOUT_MS;
  // The log is a file, not a pipe: a server under load then never waits for the bench to read it.
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${readLog(logFile)}`);
    const match = LISTENING.exec(readLog(logFile));
    if (match !== null) return match[1] as string;
    await sleep(POLL_MS);
  }
  throw new Error(`server did not start within ${START_TIMEOUT_MS} ms:\n${readLog(logFile)}`);
}

async function firstVersionAnswer(url: string): Promise<void> {
  for (;;) {
    const answer = await httpCall(`${url}/api/version`).catch(() => null);
    if (answer?.status === 200) return;
    await sleep(POLL_MS);
  }
}

/** The most resident memory the process has had so far (the kernel's high-water mark), in MiB. */
function peakRssOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? null : Number(match[1]) / 1024;
  } catch {
    return null;
  }
}

// /proc reports CPU time in clock ticks: USER_HZ, 100 on every mainstream Linux.
const MS_PER_TICK = 10;

function cpuOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    // Fields after the command name (which may hold spaces) start at the state, field 3.
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * MS_PER_TICK : null;
  } catch {
    return null;
  }
}

export async function startBenchServer(launch: ServerLaunch): Promise<BenchServer> {
  const log = fs.openSync(launch.logFile, 'w');
  const started = performance.now();
  const child = spawn(process.execPath, [...(launch.nodeFlags ?? []), launch.script], {
    env: { ...process.env, SELFPRIVACY_ROOT: launch.root, HOST: '127.0.0.1', PORT: '0', ...launch.env },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  try {
    const url = await waitForUrl(child, launch.logFile);
    await firstVersionAnswer(url);
    return { url, coldStartMs: performance.now() - started, peakRssMiB: () => peakRssOf(child.pid), cpuMs: () => cpuOf(child.pid), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
