// GET /services/status with eight slow stand-in units, against the time of one unit on its own.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { httpCall } from './http-call.js';
import { median, type StatusCheck } from './figures.js';

const run = promisify(execFile);
const SAMPLES = 5;

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

export async function measureServicesStatus(url: string, token: string, binFolder: string): Promise<StatusCheck> {
  const unitTimes: number[] = [];
  for (let sample = 0; sample < SAMPLES; sample++) {
    unitTimes.push(await timed(() => run(path.join(binFolder, 'systemctl'), ['is-active', 'nginx'])));
  }
  const ask = async (): Promise<void> => {
    const answer = await httpCall(`${url}/services/status`, { headers: { authorization: `Bearer ${token}` } });
    if (answer.status !== 200) throw new Error(`GET /services/status answered ${answer.status}: ${answer.text}`);
  };
  await ask();
  const statusTimes: number[] = [];
  for (let sample = 0; sample < SAMPLES; sample++) statusTimes.push(await timed(ask));
  return { statusMs: median(statusTimes), unitMs: median(unitTimes) };
}
