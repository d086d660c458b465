// The Nix files of the project as tests read them: their text, the list of installed files, and
// the local nix-instantiate (Debian's nix-bin) when there is one.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../kit/project-files.js';
import { findOnPath } from '../../runtime/monitoring-daemons.js';

export function projectText(relative: string): string {
  return fs.readFileSync(path.join(PROJECT_ROOT, relative), 'utf8');
}

/** nix/runtime-files: what the package installs, one path a line, `#` lines being comments. */
export function runtimeFiles(): string[] {
  return projectText('nix/runtime-files')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Every .nix file git knows of (committed, staged, or new and not ignored). */
export function projectNixFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', '*.nix'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  return [...new Set(listed.split('\n').filter((file) => file !== ''))].sort();
}

/** The nix-instantiate on PATH, or null when Nix is not installed here (CI installs it). */
export function findNixInstantiate(): string | null {
  return findOnPath('nix-instantiate') ?? null;
}

/**
 * The text of the block opened by `opening` (a Nix attribute set such as
 * `systemd.services.selfprivacy-api = {`, or an nginx location) up to its matching brace; the
 * strings in the files read here hold no braces that would miscount.
 */
export function bracedBlock(text: string, opening: string): string {
  const start = text.indexOf(opening);
  if (start < 0) throw new Error(`not found: ${opening}`);
  let depth = 0;
  for (let index = text.indexOf('{', start); index < text.length; index++) {
    if (text[index] === '{') depth++;
    if (text[index] === '}' && --depth === 0) return text.slice(start, index + 1);
  }
  throw new Error(`unclosed: ${opening}`);
}

/** The whole value of the attribute `opening` (e.g. `environment =`): up to its `;` outside brackets. */
export function nixAttributeValue(text: string, opening: string): string {
  const start = text.indexOf(opening);
  if (start < 0) throw new Error(`not found: ${opening}`);
  let depth = 0;
  for (let index = start + opening.length; index < text.length; index++) {
    const character = text[index] as string;
    if ('{[('.includes(character)) depth++;
    if ('}])'.includes(character)) depth--;
    if (character === ';' && depth === 0) return text.slice(start + opening.length, index).trim();
  }
  throw new Error(`unended: ${opening}`);
}

/** A Nix literal as JavaScript: strings, numbers, booleans and null; anything else is an expression. */
function nixLiteral(source: string): unknown {
  if (/^"[^"$]*"$/.test(source)) return source.slice(1, -1);
  if (/^\d+$/.test(source)) return Number(source);
  if (source === 'true' || source === 'false') return source === 'true';
  if (source === 'null') return null;
  return { expression: source };
}

/** `name = lib.mkOption { … default = …; … }` of a module, as name → default (when it has one). */
export function nixOptionDefaults(text: string): Map<string, unknown> {
  const defaults = new Map<string, unknown>();
  for (const match of text.matchAll(/(\w+) = lib\.mkOption \{/g)) {
    const block = bracedBlock(text.slice(match.index), match[0]);
    const value = /^\s*default = (.+);$/m.exec(block);
    if (value) defaults.set(match[1] as string, nixLiteral((value[1] as string).trim()));
  }
  return defaults;
}

/** `NAME = value;` lines whose name is upper case (environment variables), as name → value text. */
export function nixVariableAssignments(text: string): Map<string, string> {
  return new Map([...text.matchAll(/\b([A-Z][A-Z0-9_]*) = ([^;]+);/g)].map((match) => [match[1] as string, (match[2] as string).trim()]));
}
