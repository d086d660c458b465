// Static security guards run by `npm test`: no processes outside the runner, no shell, no eval, no lost promises.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const PROCESS_MODULES = ['child_process', 'node:child_process', 'execa'];
const RUNNER_ONLY = 'Processes are started only by the command runner (runtime/system.ts): use ctx.system.';
const CODE_FROM_TEXT = 'No code built from text at run time.';

/** One selector per way a program can reach a process module or a shell. */
const processSyntax = [
  {
    selector: 'ImportExpression[source.value=/^(node:)?child_process$|^execa(\\/|$)/]',
    message: RUNNER_ONLY,
  },
  {
    selector: "CallExpression[callee.name='require'][arguments.0.value=/^(node:)?child_process$|^execa(\\/|$)/]",
    message: RUNNER_ONLY,
  },
];

/** Everywhere, tests included: the only value `shell` may have is the literal false. */
const shellSyntax = [
  {
    selector: "Property[key.name='shell']:not([value.value=false])",
    message: 'Never run a command through a shell: pass an argument array with shell: false.',
  },
  {
    selector: "Property[key.value='shell']:not([value.value=false])",
    message: 'Never run a command through a shell: pass an argument array with shell: false.',
  },
];

const restrictedImports = {
  paths: [
    ...PROCESS_MODULES.map((name) => ({ name, message: RUNNER_ONLY })),
    { name: 'vm', message: CODE_FROM_TEXT },
    { name: 'node:vm', message: CODE_FROM_TEXT },
  ],
  patterns: [{ group: ['execa/*'], message: RUNNER_ONLY }],
};

export default defineConfig(
  { ignores: ['node_modules/', 'dist/', '.trial-root/', 'coverage/', 'test-output/'] },
  {
    files: ['**/*.{ts,cts,mts,js,cjs,mjs}'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'no-eval': 'error',
      'no-new-func': 'error',
      'no-restricted-imports': ['error', restrictedImports],
      'no-restricted-syntax': ['error', ...processSyntax, ...shellSyntax],
    },
  },
  {
    // Type-aware: a promise nobody awaits or handles is a crash or a silently lost write.
    files: ['**/*.{ts,cts,mts}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: path.dirname(fileURLToPath(import.meta.url)) } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-implied-eval': 'error',
    },
  },
  {
    // The command runner itself, and tests and benchmarks (which start the server as a process).
    files: ['runtime/system.ts', 'test/**', 'bench/**'],
    rules: {
      'no-restricted-imports': ['error', { ...restrictedImports, paths: restrictedImports.paths.filter((p) => !PROCESS_MODULES.includes(p.name)), patterns: [] }],
      'no-restricted-syntax': ['error', ...shellSyntax],
    },
  },
);
