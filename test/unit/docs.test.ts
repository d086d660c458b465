// The Markdown files stay readable in a terminal and self-contained: a fresh clone has nothing outside it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../kit/project-files.js';

const LINE_LIMIT = 120;
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'result']);

/** The project's files whose name matches, relative to its root (build output and hidden folders left out). */
function projectFiles(name: RegExp, folder = ''): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(path.join(PROJECT_ROOT, folder), { withFileTypes: true })) {
    if (entry.name.startsWith('.') || SKIPPED_FOLDERS.has(entry.name)) continue;
    const relative = path.join(folder, entry.name);
    if (entry.isDirectory()) files.push(...projectFiles(name, relative));
    else if (name.test(entry.name)) files.push(relative);
  }
  return files;
}

/**
 * The lines a person wrote, numbered from 1: code blocks and generated sections (between a
 * `<!-- x:start -->` or `<!-- x:begin -->` marker and its end marker) are left out.
 */
function proseLines(text: string): { number: number; line: string }[] {
  const lines: { number: number; line: string }[] = [];
  let inCode = false;
  let inGenerated = false;
  text.split('\n').forEach((line, index) => {
    if (/^\s*(```|~~~)/.test(line)) {
      inCode = !inCode;
      return;
    }
    if (/<!-- [\w-]+:(start|begin)\b/.test(line)) inGenerated = true;
    if (/<!-- [\w-]+:end\b/.test(line)) {
      inGenerated = false;
      return;
    }
    if (!inCode && !inGenerated) lines.push({ number: index + 1, line });
  });
  return lines;
}

/** The targets of inline Markdown links and images, `[text](target)`, in the given lines. */
function linkTargets(lines: readonly string[]): string[] {
  const targets: string[] = [];
  for (const line of lines) {
    // Inline code may show link syntax without being a link.
    const withoutCode = line.replace(/`[^`]*`/g, '');
    for (const match of withoutCode.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) targets.push(match[1]!);
  }
  return targets;
}

const FILES = projectFiles(/\.md$/);

describe('Markdown files', () => {
  it('are found (README.md and docs/ among them)', () => {
    expect(FILES).toContain('README.md');
    expect(FILES.some((file) => file.startsWith(`docs${path.sep}`))).toBe(true);
  });

  it(`have no prose line over ${LINE_LIMIT} characters`, () => {
    const long = FILES.flatMap((file) =>
      proseLines(fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8'))
        .filter(({ line }) => [...line].length > LINE_LIMIT)
        .map(({ number, line }) => `${file}:${number} (${[...line].length} characters)`),
    );
    expect(long).toEqual([]);
  });

  it('link only to files inside the repository, and every such link resolves', () => {
    const broken: string[] = [];
    for (const file of FILES) {
      const lines = proseLines(fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8')).map(({ line }) => line);
      for (const target of linkTargets(lines)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
        const resolved = path.resolve(PROJECT_ROOT, path.dirname(file), decodeURIComponent(target.split('#')[0]!));
        const inside = resolved === PROJECT_ROOT || resolved.startsWith(`${PROJECT_ROOT}${path.sep}`);
        if (!inside) broken.push(`${file}: ${target} points outside the repository`);
        else if (!fs.existsSync(resolved)) broken.push(`${file}: ${target} does not exist`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('never refer to the folder beside the repository that a clone does not have', () => {
    const mentions = FILES.filter((file) => fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8').includes('../shared'));
    expect(mentions).toEqual([]);
  });
});

describe('source comments', () => {
  // A reader of the code cannot open a tracker entry; the comment must say the reason itself.
  it('name no tracker entry (the word issue followed by a number)', () => {
    const mentions = projectFiles(/\.(ts|mts|cts|mjs|js)$/).flatMap((file) =>
      fs
        .readFileSync(path.join(PROJECT_ROOT, file), 'utf8')
        .split('\n')
        .flatMap((line, index) => (/\bissues? #?\d+/i.test(line) ? [`${file}:${index + 1}: ${line.trim()}`] : [])),
    );
    expect(mentions).toEqual([]);
  });
});

describe('the checks themselves', () => {
  it('skip code blocks and generated sections, and keep the numbering of the file', () => {
    const text = ['a', '```', 'code', '```', '<!-- api:start (generated) -->', 'table', '<!-- api:end -->', 'b'].join('\n');
    expect(proseLines(text)).toEqual([
      { number: 1, line: 'a' },
      { number: 8, line: 'b' },
    ]);
  });

  it('find link targets outside inline code', () => {
    expect(linkTargets(['see [the docs](docs/api.md#list) and `[not](a-link)`, ![x](img.png "title")'])).toEqual(['docs/api.md#list', 'img.png']);
  });
});
