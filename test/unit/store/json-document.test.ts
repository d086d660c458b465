import fs from 'node:fs';
import fsPromises from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HttpError } from '../../../core/errors.js';
import { JsonDocument } from '../../../store/json-document.js';
import { recordingLogger, type RecordingLogger } from '../../helpers/recording-logger.js';

interface Doc {
  counter?: number;
  entries?: string[];
  [unknown: string]: unknown;
}

let folder: string;
let file: string;
let logger: RecordingLogger;

beforeEach(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-store-'));
  file = path.join(folder, 'tokens.json');
  logger = recordingLogger();
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(folder, { recursive: true, force: true });
});

function open(target = file): JsonDocument<Doc> {
  return new JsonDocument<Doc>(target, { mode: 0o600, log: logger.log });
}

function writeRaw(text: string, mode = 0o600): void {
  fs.writeFileSync(file, text, { mode });
  fs.chmodSync(file, mode);
}

const bytes = (): string => fs.readFileSync(file, 'utf8');

/** Runs `promise`, expecting it to fail with an HttpError; returns that error. */
async function httpFailure(promise: Promise<unknown> | (() => unknown)): Promise<HttpError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    expect(error).toBeInstanceOf(HttpError);
    return error as HttpError;
  }
  throw new Error('expected an HttpError');
}

describe('reading', () => {
  it('sees an edit made behind the store\'s back on the very next read', () => {
    writeRaw(JSON.stringify({ counter: 1 }));
    const document = open();
    expect(document.read().counter).toBe(1);
    writeRaw(JSON.stringify({ counter: 2, added: 'by an admin' }));
    expect(document.read()).toEqual({ counter: 2, added: 'by an admin' });
  });

  it('applies an update to the file as it is on disk now, not to an earlier read', async () => {
    writeRaw(JSON.stringify({ counter: 1 }));
    const document = open();
    document.read();
    writeRaw(JSON.stringify({ counter: 10, nixos: { added: true } }));
    await document.update((data) => {
      data.counter = (data.counter ?? 0) + 1;
    });
    expect(JSON.parse(bytes())).toEqual({ counter: 11, nixos: { added: true } });
  });
});

describe('writing', () => {
  it('keeps unknown fields, their values and their order', async () => {
    const original = {
      zeta: { nested: [1, { deep: 'x' }], flag: false },
      tokens: [{ token: 't', name: 'n', date: 'd', extra: 'kept' }],
      counter: 1,
      alpha: null,
    };
    writeRaw(JSON.stringify(original, null, 4));
    await open().update((data) => {
      data.counter = 2;
    });
    expect(bytes()).toBe(JSON.stringify({ ...original, counter: 2 }, null, 4));
  });

  it('writes 4-space indentation whatever the file had before', async () => {
    writeRaw('{"counter":1,"list":[{"a":1}]}');
    await open().update((data) => {
      data.counter = 2;
    });
    expect(bytes()).toBe('{\n    "counter": 2,\n    "list": [\n        {\n            "a": 1\n        }\n    ]\n}');
  });

  it('keeps mode 0600 of tokens.json', async () => {
    writeRaw('{}', 0o600);
    await open().update((data) => {
      data.counter = 1;
    });
    expect(fs.statSync(file).mode & 0o7777).toBe(0o600);
  });

  // The documents hold secrets; a wider mode found on disk is narrowed, not kept.
  it('writes mode 0600 whatever mode the file had', async () => {
    writeRaw('{}', 0o640);
    await open().update((data) => {
      data.counter = 1;
    });
    expect(fs.statSync(file).mode & 0o7777).toBe(0o600);
  });

  // The owner of the old file (maybe a link's target, planted by a user) is never passed on.
  it.runIf(process.getuid?.() === 0)('gives the rewritten file to the writer (root), not to the old file\'s owner', async () => {
    writeRaw('{}', 0o640);
    fs.chownSync(file, 1234, 5678);
    await open().update((data) => {
      data.counter = 1;
    });
    const stat = fs.statSync(file);
    expect([stat.uid, stat.gid, stat.mode & 0o7777]).toEqual([0, 0, 0o600]);
  });

  it('replaces the file by rename, leaving no temporary file behind', async () => {
    writeRaw('{}');
    const before = fs.statSync(file).ino;
    await open().update((data) => {
      data.counter = 1;
    });
    expect(fs.statSync(file).ino).not.toBe(before);
    expect(fs.readdirSync(folder)).toEqual(['tokens.json']);
  });

  it('does not rewrite the file when the mutation changes nothing', async () => {
    writeRaw('{"counter":1}');
    const before = fs.statSync(file);
    expect(await open().update((data) => data.counter)).toBe(1);
    expect(fs.statSync(file).ino).toBe(before.ino);
    expect(bytes()).toBe('{"counter":1}');
  });

  it('writes nothing when the mutation throws, even after it changed the data', async () => {
    writeRaw('{"counter": 1, "entries": ["a"]}');
    const before = fs.statSync(file);
    const failure = await httpFailure(
      open().update((data) => {
        data.counter = 99;
        data.entries?.push('half-done');
        throw new HttpError(409, { error: 'refused' });
      }),
    );
    expect(failure.status).toBe(409);
    expect(bytes()).toBe('{"counter": 1, "entries": ["a"]}');
    expect(fs.statSync(file).ino).toBe(before.ino);
  });

  it('passes the mutation\'s result back to the caller', async () => {
    writeRaw('{"counter": 41}');
    expect(await open().update((data) => (data.counter = (data.counter ?? 0) + 1))).toBe(42);
  });
});

describe('grouped commits', () => {
  it('lands every one of many concurrent updates, each with its own result', async () => {
    writeRaw('{"counter": 0, "entries": []}');
    const document = open();
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        document.update((data) => {
          data.entries?.push(`e${i}`);
          return (data.counter = (data.counter ?? 0) + 1);
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    const stored = JSON.parse(bytes()) as Doc;
    expect(stored.counter).toBe(60);
    expect(stored.entries).toEqual(Array.from({ length: 60 }, (_, i) => `e${i}`));
  });

  it('commits updates queued during a write together, in fewer writes than updates', async () => {
    writeRaw('{"counter": 0}');
    const renames = vi.spyOn(fsPromises, 'rename');
    const document = open();
    await Promise.all(Array.from({ length: 40 }, () => document.update((data) => {
      data.counter = (data.counter ?? 0) + 1;
    })));
    expect((JSON.parse(bytes()) as Doc).counter).toBe(40);
    expect(renames.mock.calls.length).toBeGreaterThan(0);
    expect(renames.mock.calls.length).toBeLessThan(20);
  });

  it('undoes only the update that throws; the others in its group land', async () => {
    writeRaw('{"counter": 0, "entries": []}');
    const document = open();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        document.update((data) => {
          data.entries?.push(`e${i}`);
          data.counter = (data.counter ?? 0) + 1;
          if (i === 4) throw new HttpError(400, { error: 'no' });
        }),
      ),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected',
      'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled',
    ]);
    const stored = JSON.parse(bytes()) as Doc;
    expect(stored.counter).toBe(9);
    expect(stored.entries).not.toContain('e4');
    expect(stored.entries).toHaveLength(9);
  });

  it('drain() waits until every queued update is on disk', async () => {
    writeRaw('{"counter": 0}');
    const document = open();
    for (let i = 0; i < 5; i += 1) {
      void document.update((data) => {
        data.counter = (data.counter ?? 0) + 1;
      });
    }
    await document.drain();
    expect((JSON.parse(bytes()) as Doc).counter).toBe(5);
  });

  it('serialises updates from two documents on the same file in one process', async () => {
    writeRaw('{"counter": 0}');
    const first = open();
    const second = open();
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? first : second).update((data) => {
      data.counter = (data.counter ?? 0) + 1;
    })));
    expect((JSON.parse(bytes()) as Doc).counter).toBe(20);
  });
});

describe('a missing file', () => {
  it('read() gives a 500 naming the file and logs it', async () => {
    const failure = await httpFailure(() => open().read());
    expect(failure.status).toBe(500);
    expect(failure.body).toEqual({ error: expect.stringContaining('tokens.json') });
    expect(logger.entries()).toContainEqual(expect.objectContaining({ level: 'error', file: 'tokens.json' }));
  });

  it('update() gives a 500 naming the file, logs it and does not create the file', async () => {
    const mutate = vi.fn();
    const failure = await httpFailure(open().update(mutate));
    expect(failure.status).toBe(500);
    expect(JSON.stringify(failure.body)).toContain('tokens.json');
    expect(mutate).not.toHaveBeenCalled();
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.readdirSync(folder)).toEqual([]);
    expect(logger.entries()).toContainEqual(expect.objectContaining({ level: 'error', file: 'tokens.json' }));
  });

  // The bound is generous: the answer takes milliseconds, retrying the lock as if held took ~20 s.
  it('update() in a missing folder is a 500 at once, without waiting out the lock retries', { timeout: 8_000 }, async () => {
    const failure = await httpFailure(open(path.join(folder, 'absent', 'tokens.json')).update(() => undefined));
    expect(failure.status).toBe(500);
    expect(JSON.stringify(failure.body)).toContain('tokens.json');
  });

  it('createIfMissing() creates it with the create mode, 4-space JSON', async () => {
    const document = open(path.join(folder, 'new', 'tokens.json'));
    expect(await document.createIfMissing({ counter: 0, entries: [] })).toBe(true);
    expect(fs.readFileSync(document.filePath, 'utf8')).toBe('{\n    "counter": 0,\n    "entries": []\n}');
    expect(fs.statSync(document.filePath).mode & 0o7777).toBe(0o600);
  });

  it('createIfMissing() never replaces an existing file', async () => {
    writeRaw('{"counter": 7}', 0o640);
    expect(await open().createIfMissing({ counter: 0 })).toBe(false);
    expect(bytes()).toBe('{"counter": 7}');
    expect(fs.statSync(file).mode & 0o7777).toBe(0o640);
  });
});

describe('a corrupt file', () => {
  for (const [label, text] of [
    ['truncated JSON', '{"tokens": [{"token": "abc"'],
    ['an empty file', ''],
    ['a JSON array', '[1, 2]'],
    ['JSON null', 'null'],
  ] as const) {
    it(`${label}: read() and update() give a 500 naming the file, logged, and the bytes stay as they were`, async () => {
      writeRaw(text);
      const document = open();
      const readFailure = await httpFailure(() => document.read());
      expect(readFailure.status).toBe(500);
      expect(JSON.stringify(readFailure.body)).toContain('tokens.json');
      const mutate = vi.fn();
      const updateFailure = await httpFailure(document.update(mutate));
      expect(updateFailure.status).toBe(500);
      expect(JSON.stringify(updateFailure.body)).toContain('tokens.json');
      expect(mutate).not.toHaveBeenCalled();
      expect(bytes()).toBe(text);
      expect(logger.entries()).toContainEqual(expect.objectContaining({ level: 'error', msg: 'store file corrupt', file: 'tokens.json' }));
    });
  }

  it('a 500 body never holds the file\'s content', async () => {
    writeRaw('{"tokens": [{"token": "SECRET-VALUE"');
    const failure = await httpFailure(() => open().read());
    expect(JSON.stringify(failure.body)).not.toContain('SECRET-VALUE');
    expect(logger.text()).not.toContain('SECRET-VALUE');
  });
});
