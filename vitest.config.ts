import { createRequire } from 'node:module';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Test files that run the build's output (dist/): the real server as a process, the compiled store
 * in other processes, the deploy files' paths. Only a run that includes one of them builds first
 * (test/helpers/global-setup.ts, once per run); every other test runs straight from the sources.
 */
const NEEDS_BUILD = ['test/integration/**/*.test.ts', 'test/unit/store/cross-process.test.ts', 'test/unit/deploy-files.test.ts'];

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships CommonJS (main) and ESM (module) copies. Node loads the CommonJS one for
    // graphql-http, graphql-ws and graphql-jit; Vite would give our files the other, and graphql
    // refuses a schema made by the other copy. One copy for all, as in the server and its bundle.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
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
