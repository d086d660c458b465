// A stand-in journalctl that always has one entry newer than the cursor it is given: a journal being written.
import fs from 'node:fs';
import path from 'node:path';
import { journalLine } from './journal-lines.js';

/**
 * Writes `<folder>/journalctl`: without --after-cursor it prints entry 1 (the newest so far); with a
 * cursor of entry n it prints entry n + 1 of `unit`. Entries are shaped as journal-lines.ts makes them.
 */
export function writeGrowingJournalctl(folder: string, unit: string): void {
  fs.mkdirSync(folder, { recursive: true });
  // The entry text is made here with the test's own helper; the script only fills in the number.
  const template = journalLine(0x7fff_ffff, unit);
  const script = `#!${process.execPath}
const args = process.argv.slice(2);
const at = args.indexOf('--after-cursor');
const seen = at === -1 ? 0 : parseInt(/;i=([0-9a-f]+);/.exec(args[at + 1])[1], 16);
const n = seen + 1;
const template = ${JSON.stringify(template)};
const hex = (value) => value.toString(16);
const entry = JSON.parse(template);
entry.__CURSOR = entry.__CURSOR.replace(/;i=[0-9a-f]+;/, ';i=' + hex(n) + ';');
entry.MESSAGE = 'line ' + n;
entry.__REALTIME_TIMESTAMP = String(1700000000000000 + n * 1000000);
process.stdout.write(JSON.stringify(entry) + '\\n');
`;
  fs.writeFileSync(path.join(folder, 'journalctl'), script, { mode: 0o755 });
}
