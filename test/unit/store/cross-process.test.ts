// Several OS processes writing one file through the compiled store (test/helpers/store-writer-process.mjs).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../runtime/logger.js';
import { JsonDocument } from '../../../store/json-document.js';

const WRITER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../helpers/store-writer-process.mjs');

interface Doc {
  counter?: number;
  entries?: string[];
  touched?: boolean;
  [unknown: string]: unknown;
}

interface Writer {
  child: ChildProcess;
  /** Lines the writer printed so far. */
  lines(): string[];
  /** Resolves when a printed line satisfies `test`. */
  waitFor(test: (line: string) => boolean): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let folder: string;
let file: string;
const writers: Writer[] = [];

beforeEach(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-store-procs-'));
  file = path.join(folder, 'tokens.json');
  fs.writeFileSync(file, JSON.stringify({ counter: 0, entries: [], kept: { by: 'nixos' } }, null, 4), { mode: 0o600 });
});
afterEach(() => {
  for (const writer of writers.splice(0)) if (writer.child.exitCode === null) writer.child.kill('SIGKILL');
  fs.rmSync(folder, { recursive: true, force: true });
});

function startWriter(...args: string[]): Writer {
  const child = spawn(process.execPath, [WRITER, file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const lines = (): string[] => out.split('\n').filter(Boolean);
  // 'close' comes after the last printed line is read, so lines() is complete once this resolves.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  const writer: Writer = {
    child,
    lines,
    exited,
    async waitFor(test) {
      for (;;) {
        const found = lines().find(test);
        if (found !== undefined) return found;
        if (child.exitCode !== null) throw new Error(`writer exited with ${child.exitCode}: ${err}`);
        await Promise.race([new Promise<void>((resolve) => waiters.push(resolve)), exited]);
      }
    },
  };
  writers.push(writer);
  return writer;
}

const readDoc = (): Doc => JSON.parse(fs.readFileSync(file, 'utf8')) as Doc;

describe('two OS processes writing the same file', () => {
  it('loses no update: every increment and every entry of both processes lands', async () => {
    const perProcess = 60;
    const a = startWriter('count', String(perProcess), 'a');
    const b = startWriter('count', String(perProcess), 'b');
    expect(await a.exited).toEqual({ code: 0, signal: null });
    expect(await b.exited).toEqual({ code: 0, signal: null });
    const stored = readDoc();
    expect(stored.counter).toBe(2 * perProcess);
    const expected = ['a', 'b'].flatMap((id) => Array.from({ length: perProcess }, (_, i) => `${id}-${i}`));
    expect([...(stored.entries ?? [])].sort()).toEqual(expected.sort());
    expect(stored.kept).toEqual({ by: 'nixos' });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it('loses no update when this process writes at the same time as another', async () => {
    const other = startWriter('count', '40', 'other');
    const here = new JsonDocument<Doc>(file, { mode: 0o600, log: silentLogger });
    for (let i = 0; i < 40; i += 1) {
      await here.update((data) => {
        data.counter = (data.counter ?? 0) + 1;
        data.entries?.push(`here-${i}`);
      });
    }
    expect((await other.exited).code).toBe(0);
    const stored = readDoc();
    expect(stored.counter).toBe(80);
    expect(stored.entries).toHaveLength(80);
  });
});

describe('a writer killed in the middle of writing', () => {
  it('leaves valid JSON holding at least every write it reported done, wherever it was stopped', { timeout: 60_000 }, async () => {
    // Each round kills a fresh writer a little after one of its commits, at a different point of the next write.
    for (let round = 0; round < 8; round += 1) {
      const writer = startWriter('forever', `round${round}`);
      await writer.waitFor((line) => line.startsWith('wrote '));
      await new Promise((resolve) => setTimeout(resolve, round * 3));
      writer.child.kill('SIGKILL');
      expect((await writer.exited).signal).toBe('SIGKILL');
      const reported = Math.max(...writer.lines().map((line) => Number(line.replace('wrote ', ''))));
      const stored = readDoc();
      // The write under way when it died either landed whole or not at all.
      expect(stored.counter).toBeGreaterThanOrEqual(reported);
      expect(stored.counter).toBeLessThanOrEqual(reported + 1);
      expect(stored.entries).toHaveLength(stored.counter as number);
      expect(stored.kept).toEqual({ by: 'nixos' });
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      // A dead writer's lock would hold the next round up until stale (the takeover is tested below).
      fs.rmSync(`${file}.lock`, { recursive: true, force: true });
    }
  });

  it('leaves a lock that the next writer takes over once it is stale, and that writer\'s update lands', { timeout: 60_000 }, async () => {
    const before = fs.readFileSync(file, 'utf8');
    const holder = startWriter('hold');
    await holder.waitFor((line) => line === 'holding');
    holder.child.kill('SIGKILL');
    await holder.exited;
    expect(fs.existsSync(`${file}.lock`)).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe(before);

    const next = new JsonDocument<Doc>(file, { mode: 0o600, log: silentLogger });
    await next.update((data) => {
      data.counter = (data.counter ?? 0) + 1;
    });
    const stored = readDoc();
    expect(stored.counter).toBe(1);
    expect(stored.touched).toBeUndefined();
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });
});
