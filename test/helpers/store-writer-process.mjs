// A separate OS process writing one JSON file through the compiled JsonDocument, for cross-process store tests.
// Usage: node store-writer-process.mjs <file> <mode> [count] [id]
//   count  <n> <id>: n locked increments of `counter`, each appending "<id>-<i>" to `entries`
//   forever <id>:    increments and grows `payload` until killed; prints "wrote <counter>" after each commit
//   hold:            takes the lock, prints "holding", then blocks inside the write until killed
import { JsonDocument } from '../../dist/store/json-document.js';
import { silentLogger } from '../../dist/runtime/logger.js';
import fs from 'node:fs';

const [file, mode, ...rest] = process.argv.slice(2);
const document = new JsonDocument(file, { mode: 0o600, log: silentLogger });

// Written with writeSync so a line is out before the process can be killed.
const say = (line) => fs.writeSync(1, `${line}\n`);

function increment(data, entry) {
  data.counter = (data.counter ?? 0) + 1;
  (data.entries ??= []).push(entry);
  return data.counter;
}

if (mode === 'count') {
  const [count, id] = rest;
  for (let i = 0; i < Number(count); i += 1) {
    await document.update((data) => increment(data, `${id}-${i}`));
  }
  say('done');
} else if (mode === 'forever') {
  const [id] = rest;
  for (let i = 0; ; i += 1) {
    const counter = await document.update((data) => {
      // A large document makes each write take long enough to be killed in the middle of one.
      data.payload = 'x'.repeat(256 * 1024 + (i % 97));
      return increment(data, `${id}-${i}`);
    });
    say(`wrote ${counter}`);
  }
} else if (mode === 'hold') {
  await document.update((data) => {
    data.touched = true;
    say('holding');
    // Block the whole process (lock refreshes included) so the lock goes stale once we are killed.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120_000);
  });
} else {
  say(`unknown mode ${mode}`);
  process.exit(2);
}
