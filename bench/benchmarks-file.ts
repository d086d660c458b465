// Writes the latest report into docs/benchmarks.md between markers, keeping the hand-written notes around it.
import fs from 'node:fs';

export const BEGIN_MARKER = '<!-- bench:begin (written by npm run bench) -->';
export const END_MARKER = '<!-- bench:end -->';

const NEW_FILE_HEAD = '# Benchmarks\n\n`npm run bench` rewrites the section below; the notes outside it are kept.\n\n';

/** The new file text: `existing` with its generated section replaced (or a new file around it). */
export function withGeneratedSection(existing: string | null, generated: string): string {
  const section = `${BEGIN_MARKER}\n${generated.trimEnd()}\n${END_MARKER}`;
  if (existing === null) return `${NEW_FILE_HEAD}${section}\n`;
  const begin = existing.indexOf(BEGIN_MARKER);
  const end = existing.indexOf(END_MARKER, begin);
  if (begin === -1 || end === -1) return `${existing.trimEnd()}\n\n${section}\n`;
  return existing.slice(0, begin) + section + existing.slice(end + END_MARKER.length);
}

export function writeBenchmarksFile(file: string, generated: string): void {
  const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
  fs.writeFileSync(file, withGeneratedSection(existing, generated));
}
