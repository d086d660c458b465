// JsonDocument.read(): a parsed copy is reused only while the file provably has not changed.
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../core/errors.js';
import { silentLogger } from '../../../runtime/logger.js';
import { JsonDocument } from '../../../store/json-document.js';
import type { Userdata } from '../../../store/userdata.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();

/** A document that treats a file as settled at once, so the tests need not wait seconds. */
function quickDocument(): JsonDocument<Userdata> {
  return new JsonDocument<Userdata>(temp.paths.userdata, { mode: 0o600, log: silentLogger, settleMs: 0 });
}

/** Rewrites userdata.json in place, as another program would, keeping its length. */
function rewriteInPlace(from: string, to: string): void {
  expect(to.length).toBe(from.length);
  const text = temp.userdataBytes();
  expect(text).toContain(from);
  fs.writeFileSync(temp.paths.userdata, text.replace(from, to));
}

describe('JsonDocument.read', () => {
  it('reuses the parsed copy while the file is unchanged', async () => {
    const document = quickDocument();
    await sleep(20);
    expect(document.read()).toBe(document.read());
  });

  it('sees an in-place rewrite of the same length', async () => {
    const document = quickDocument();
    await sleep(20);
    expect(document.read().timezone).toBe('Europe/Moscow');
    await sleep(20);
    rewriteInPlace('Europe/Moscow', 'Europe/Berlin');
    expect(document.read().timezone).toBe('Europe/Berlin');
  });

  it('sees a file replaced by rename', async () => {
    const document = quickDocument();
    await sleep(20);
    document.read();
    const replacement = `${temp.paths.userdata}.new`;
    fs.writeFileSync(replacement, JSON.stringify({ ...temp.readUserdata(), timezone: 'Asia/Tokyo' }, null, 4));
    fs.renameSync(replacement, temp.paths.userdata);
    expect(document.read().timezone).toBe('Asia/Tokyo');
  });

  it('reads a file changed moments ago from disk every time, even rewritten within the same clock step', () => {
    const document = new JsonDocument<Userdata>(temp.paths.userdata, { mode: 0o600, log: silentLogger });
    for (const [from, to] of [['Europe/Moscow', 'Europe/Berlin'], ['Europe/Berlin', 'Europe/Moscow']] as const) {
      expect(document.read().timezone).toBe(from);
      rewriteInPlace(from, to);
      expect(document.read().timezone).toBe(to);
    }
  });

  it('answers 500 once the file is gone, not the copy it had', async () => {
    const document = quickDocument();
    await sleep(20);
    document.read();
    fs.rmSync(temp.paths.userdata);
    expect(() => document.read()).toThrow(HttpError);
  });

  it('hands out a frozen copy, so a change by mistake fails loudly instead of reaching other requests', async () => {
    const document = quickDocument();
    await sleep(20);
    const data = document.read();
    expect(() => {
      data.timezone = 'Asia/Tokyo';
    }).toThrow(TypeError);
    expect(() => data.users?.push({ username: 'intruder' })).toThrow(TypeError);
    expect(document.read().timezone).toBe('Europe/Moscow');
  });

  it('lets update() change the file after a read, and the next read shows it', async () => {
    const document = quickDocument();
    await sleep(20);
    document.read();
    await document.update((data) => {
      data.timezone = 'Asia/Tokyo';
    });
    expect(document.read().timezone).toBe('Asia/Tokyo');
    expect(temp.readUserdata().timezone).toBe('Asia/Tokyo');
  });
});
