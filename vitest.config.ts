import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Test files that run the build's output (dist/): the real server as a process, the compiled store
 * in other processes, the deploy files' paths. Only a run that includes one of them builds first
 * (test/helpers/global-setup.ts, once per run); every other test runs straight from the sources.
 */
const NEEDS_BUILD = ['test/integration/**/*.test.ts', 'test/unit/store/cross-process.test.ts', 'test/unit/deploy-files.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'sources', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...NEEDS_BUILD] } },
      { extends: true, test: { name: 'built', include: NEEDS_BUILD, globalSetup: ['test/helpers/global-setup.ts'] } },
    ],
  },
});
