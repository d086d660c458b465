import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { FunctionHandler } from '../../../kit/context.js';
import { createLogger } from '../../../runtime/logger.js';
import { createTimeLimit } from '../../../runtime/time-limit.js';
import { json } from '../../../kit/respond.js';
import type { LoadedRoute } from '../../../kit/context.js';
import { makeInProcessApp } from '../../helpers/in-process-app.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();

const LIMIT_MS = 200;

function publicRoute(path: string, handler: FunctionHandler): LoadedRoute {
  return { method: 'POST', path, function: 'functions/test/slow.ts', public: true, mutates: true, tag: 'test', summary: 'test', module: { default: handler } };
}

describe('request time limit', () => {
  it('answers 503 with Retry-After once the limit has passed, while the work carries on', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let finished = false;
    const slow = publicRoute('/slow', async () => {
      await gate;
      finished = true;
      return json({ done: true });
    });
    const app = await makeInProcessApp(temp, { routes: [slow], guard: { requestTimeoutMs: LIMIT_MS } });
    const response = await app.send('POST', '/slow');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.json()).toEqual({ error: 'The request took too long; its work goes on in the background' });
    release();
    await sleep(10);
    expect(finished).toBe(true);
  });

  it('logs a late failure instead of leaving an unhandled rejection', async () => {
    const lines: string[] = [];
    const failing = publicRoute('/fails-late', async () => {
      await sleep(LIMIT_MS * 2);
      throw new Error('gave up');
    });
    const app = await makeInProcessApp(temp, { routes: [failing], guard: { requestTimeoutMs: LIMIT_MS }, log: createLogger('info', (line) => lines.push(line)) });
    expect((await app.send('POST', '/fails-late')).status).toBe(503);
    await sleep(LIMIT_MS * 4);
    // Vitest fails the run on an unhandled rejection; the log says how the work ended.
    expect(lines.some((line) => line.includes('"late request failed"') && line.includes('gave up'))).toBe(true);
  });

  it('answers normally when the work finishes within the limit', async () => {
    const quick = publicRoute('/quick', async () => {
      await sleep(LIMIT_MS / 10);
      return json({ done: true }, 201);
    });
    const app = await makeInProcessApp(temp, { routes: [quick], guard: { requestTimeoutMs: LIMIT_MS } });
    const response = await app.send('POST', '/quick');
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ done: true });
  });
});

describe('createTimeLimit with requests overlapping', () => {
  it('gives each request its own deadline, with one timer for all of them', async () => {
    const limit = createTimeLimit(LIMIT_MS, createLogger('error', () => undefined));
    const never = new Promise<never>(() => undefined);
    const settled = new Set<string>();
    const track = <T>(name: string, promise: Promise<T>): Promise<T> =>
      promise.finally(() => settled.add(name));

    const first = track('first', limit.within(never, 'first'));
    await sleep(LIMIT_MS / 2);
    const quick = track('quick', limit.within(sleep(5).then(() => 'answer'), 'quick'));
    const second = track('second', limit.within(never, 'second'));

    expect(await quick).toBe('answer');
    await expect(first).rejects.toMatchObject({ status: 503 });
    // The first deadline passing must not take the second request, which started later.
    expect(settled.has('second')).toBe(false);
    await expect(second).rejects.toMatchObject({ status: 503 });
  });
});
