// Starts the compiled production server (`node <its flags> dist/runtime/serve.cjs`) on 127.0.0.1 for integration tests.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_NODE_FLAGS } from '../../runtime/node-flags.js';
import { headersAndBody } from './request-options.js';

const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the server printed so far. */
  output(): string;
  fetch(pathname: string, init?: RequestInit & { token?: string; json?: unknown }): Promise<Response>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Where the server is started from: the build in the project folder unless a test names another copy. */
export interface ServerLocation {
  /** The launcher to run (dist/runtime/serve.cjs of some tree). */
  entry: string;
  cwd: string;
}

const PROJECT_BUILD: ServerLocation = { entry: path.join(PROJECT, 'dist/runtime/serve.cjs'), cwd: PROJECT };

export async function startServerProcess(
  root: string,
  env: Record<string, string> = {},
  location: ServerLocation = PROJECT_BUILD,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, location.entry], {
    cwd: location.cwd,
    env: { ...process.env, SELFPRIVACY_ROOT: root, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 20_000);
    const check = (): void => {
      const match = /"msg":"listening","url":"([^"]+)"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    fetch(pathname, init = {}) {
      return fetch(`${url}${pathname}`, { ...init, ...headersAndBody(init) });
    },
    stop(signal = 'SIGTERM') {
      return new Promise((resolve) => {
        // A process killed by a signal has no exit code but a signalCode; either means it is gone.
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        // 'close' comes after the output is all read, so output() is complete once this resolves.
        child.once('close', (code) => resolve(code));
        child.kill(signal);
      });
    },
  };
}
