// The layer rule of STYLE.md over the import graph of the sources (types included): dependencies point one way, and no cycles.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../kit/project-files.js';

const SOURCE_FOLDERS = ['core', 'runtime', 'kit', 'graphql', 'store', 'domain', 'backups', 'jobs', 'functions', 'migrations', 'scripts'];

/** Every TypeScript source file under the folders, as a path relative to the project. */
function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of fs.readdirSync(path.join(PROJECT_ROOT, folder), { withFileTypes: true })) {
      const relative = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(relative);
      else if (/\.(ts|cts|mts)$/.test(entry.name) && !/\.d\.(ts|cts|mts)$/.test(entry.name)) files.push(relative);
    }
  };
  for (const folder of SOURCE_FOLDERS) walk(folder);
  return files;
}

/** `../store/store.js` from runtime/app.ts → `store/store.ts`: the source file tsc compiles to that name. */
function resolveSource(from: string, specifier: string, files: ReadonlySet<string>): string | undefined {
  const target = path.join(path.dirname(from), specifier);
  const candidates = [target.replace(/\.js$/, '.ts'), target.replace(/\.cjs$/, '.cts'), target.replace(/\.mjs$/, '.mts'), target];
  return candidates.find((candidate) => files.has(candidate));
}

/** Each file's imports of other source files: static imports and re-exports, `import type` included. */
function importGraph(): Map<string, string[]> {
  const files = sourceFiles();
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const info = ts.preProcessFile(fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8'), true, false);
    const targets = info.importedFiles
      .map((imported) => imported.fileName)
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => resolveSource(file, specifier, known) ?? `${specifier} (unresolved, from ${file})`);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** The strongly connected components with more than one file (Tarjan): each is an import cycle. */
function importCycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (file: string): void => {
    index.set(file, next);
    lowLink.set(file, next);
    next += 1;
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        lowLink.set(file, Math.min(lowLink.get(file)!, lowLink.get(target)!));
      } else if (onStack.has(target)) {
        lowLink.set(file, Math.min(lowLink.get(file)!, index.get(target)!));
      }
    }
    if (lowLink.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1) cycles.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return cycles;
}

const graph = importGraph();
const folderOf = (file: string): string => file.split(path.sep)[0] as string;

function importsFromFolders(from: readonly string[], forbidden: readonly string[]): string[] {
  return [...graph].flatMap(([file, targets]) =>
    from.includes(folderOf(file)) ? targets.filter((target) => forbidden.includes(folderOf(target))).map((target) => `${file} → ${target}`) : [],
  );
}

describe('layers (STYLE.md): runtime around functions, functions over domain, backups and jobs, those over the store', () => {
  it('resolves every relative import to a source file', () => {
    expect([...graph.values()].flat().filter((target) => target.includes('(unresolved'))).toEqual([]);
  });

  it('keeps store/ and domain/ free of runtime/, functions/, backups/, jobs/ and migrations/ (errors, the logger and command types are in core/)', () => {
    expect(importsFromFolders(['store', 'domain'], ['runtime', 'kit', 'graphql', 'functions', 'backups', 'jobs', 'migrations'])).toEqual([]);
  });

  it('keeps store/ (files, locks, atomic writes) free of the rules above it in domain/', () => {
    expect(importsFromFolders(['store'], ['domain'])).toEqual([]);
  });

  it('keeps backups/ and jobs/ (long work, no HTTP) free of runtime/ and functions/', () => {
    expect(importsFromFolders(['backups', 'jobs'], ['runtime', 'kit', 'graphql', 'functions', 'migrations'])).toEqual([]);
  });

  it('keeps kit/ (what handlers import) free of the shell in runtime/ and of everything above it', () => {
    expect(importsFromFolders(['kit'], ['runtime', 'functions', 'graphql', 'migrations'])).toEqual([]);
  });

  it('keeps the GraphQL transport (graphql/) free of the shell that mounts it (runtime/)', () => {
    expect(importsFromFolders(['graphql'], ['runtime', 'migrations'])).toEqual([]);
  });

  it('keeps the REST functions (functions/) free of the shell that loads them and of the GraphQL transport beside them', () => {
    expect(importsFromFolders(['functions'], ['runtime', 'graphql', 'migrations'])).toEqual([]);
  });

  it('keeps core/ free of every other folder: it is what every layer may use', () => {
    expect(importsFromFolders(['core'], SOURCE_FOLDERS.filter((folder) => folder !== 'core'))).toEqual([]);
  });

  it('has no import cycle, type-only imports included', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it('finds a cycle when there is one (the check itself)', () => {
    const looped = new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']], ['d.ts', ['a.ts']]]);
    expect(importCycles(looped)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });
});
