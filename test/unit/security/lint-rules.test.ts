import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// Lints snippets as if they were files of the project, so a weakened eslint.config.js fails here.
let eslint: ESLint;
beforeAll(async () => {
  eslint = new ESLint({
    overrideConfig: {
      files: ['**/*.ts'],
      // The snippets are not on disk; the type-aware rules check them in a default project.
      languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['functions/lint-probe/*.ts', 'test/lint-probe/*.ts'] } } },
    },
  });
  // The first type-aware lint loads TypeScript's view of the project: slow on a busy machine.
  await eslint.lintText('export {};\n', { filePath: 'runtime/system.ts' });
  await eslint.lintText('export {};\n', { filePath: 'functions/lint-probe/warm-up.ts' });
}, 180_000);

async function rulesBroken(filePath: string, text: string): Promise<string[]> {
  const [result] = await eslint.lintText(text, { filePath });
  const fatal = result?.messages.find((message) => message.fatal);
  if (fatal) throw new Error(fatal.message);
  return (result?.messages ?? []).map((message) => message.ruleId ?? 'unknown');
}

describe('static security guards (eslint.config.js)', () => {
  it('forbids child_process and execa outside the command runner, however they are loaded', async () => {
    expect(await rulesBroken('functions/lint-probe/a.ts', "import { execFile } from 'node:child_process';\nexport const run = execFile;\n")).toEqual(['no-restricted-imports']);
    expect(await rulesBroken('functions/lint-probe/b.ts', "import { execa } from 'execa';\nexport const run = execa;\n")).toEqual(['no-restricted-imports']);
    expect(await rulesBroken('functions/lint-probe/c.ts', "export const load = () => import('child_process');\n")).toEqual(['no-restricted-syntax']);
  });

  it('lets the command runner itself use execa', async () => {
    expect(await rulesBroken('runtime/system.ts', "import { execa } from 'execa';\nexport const run = execa;\n")).toEqual([]);
  });

  it('forbids shell: true and any other value but false, tests included', async () => {
    const text = "export const a = { shell: true };\nexport const b = { 'shell': '/bin/sh' };\nexport const c = { shell: false };\n";
    expect(await rulesBroken('functions/lint-probe/d.ts', text)).toEqual(['no-restricted-syntax', 'no-restricted-syntax']);
    expect(await rulesBroken('test/lint-probe/e.ts', text)).toEqual(['no-restricted-syntax', 'no-restricted-syntax']);
  });

  it('forbids eval and new Function', async () => {
    const broken = await rulesBroken('functions/lint-probe/f.ts', "export const a = eval('1');\nexport const b = new Function('return 1');\n");
    expect(broken).toContain('no-eval');
    expect(broken).toContain('no-new-func');
  });

  it('forbids a promise nobody awaits or handles', async () => {
    const text = 'async function write(): Promise<void> {}\nexport function handler(): void {\n  write();\n}\n';
    expect(await rulesBroken('functions/lint-probe/g.ts', text)).toEqual(['@typescript-eslint/no-floating-promises']);
  });
});
