import fs from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../runtime/app.js';
import { silentLogger } from '../../runtime/logger.js';
import type { DescribedRoute, LoadedRoute } from '../../kit/context.js';
import { describedRoutes } from '../../runtime/load-routes.js';
import { createGraphqlTransport } from '../../graphql/graphql.js';
import type { RunResult } from '../../core/commands.js';
import { createStore, type Store } from '../../store/store.js';
import { fakeRunner } from '../helpers/function-call.js';
import { writeMountTable } from '../helpers/mount-fixture.js';
import { allRoutes, peerContext } from '../helpers/in-process-app.js';
import { testPipeline, testServices } from '../helpers/services.js';
import { fixture, makeTempRoot, type TempRoot } from '../helpers/temp-root.js';
import { fuzzRequest, hasCredential, runnerAnswer, toRequest, type FuzzRequest } from './request-arbitraries.js';

// Every route of routes.json (so routes added later are fuzzed too) through the whole in-process
// pipeline, with a stand-in runner. `npm test` runs FUZZ_RUNS (default 400) seeded cases;
// `npm run fuzz` runs more. A failure prints the seed and path that replay it (FUZZ_SEED).
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);
const SEED = Number(process.env.FUZZ_SEED ?? 6);
const ANSWER_WITHIN_MS = 2000;

/**
 * A 5xx is allowed only where the machine, not the input, failed: the contract's failed `git pull`,
 * or a route that documents that status answering a system command the stand-in made fail.
 */
function isDocumented5xx(request: FuzzRequest, pathname: string, status: number, answer: RunResult): boolean {
  if (request.method === 'GET' && pathname === '/system/configuration/pull' && status === 500) return true;
  const route = fuzzed.find((candidate) => `${candidate.method} ${candidate.path}` === request.route && candidate.method === request.method);
  return answer.exitCode !== 0 && route?.module.responses?.[status] !== undefined;
}

let temp: TempRoot;
let store: Store;
let routes: LoadedRoute[];
/** The routes of routes.json and /graphql, which the shell mounts beside them: every one is fuzzed. */
let fuzzed: DescribedRoute[];
let baseline: { userdata: string; tokens: string };
const tally = { cases: 0, byStatus: new Map<number, number>(), routesAnswered2xx: new Set<string>() };

beforeAll(async () => {
  // The example files, with the new-device mnemonic still valid so its login can succeed too.
  const tokens = fixture<{ new_device: Record<string, unknown> }>('tokens.json');
  temp = makeTempRoot({ tokens: { ...tokens, new_device: { ...tokens.new_device, expiration: '2099-05-31 10:17:12.345678' } } });
  // A real server's mount table, so GET /system/storage answers as on a server.
  writeMountTable(temp.paths);
  store = createStore(temp.root, silentLogger);
  routes = await allRoutes();
  fuzzed = describedRoutes(routes, [createGraphqlTransport()]);
  baseline = { userdata: temp.userdataBytes(), tokens: temp.tokensBytes() };
});

afterAll(() => {
  temp.cleanup();
  const statuses = [...tally.byStatus].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`).join(' ');
  console.log(`fuzz: ${tally.cases} cases (seed ${SEED}) over ${fuzzed.length} routes; statuses ${statuses}; routes answering 2xx: ${tally.routesAnswered2xx.size}; never: ${fuzzed.map((r) => `${r.method} ${r.path}`).filter((key) => !tally.routesAnswered2xx.has(key)).join(', ') || 'none'}`);
});

/** Every case starts from the example files, so cases are independent and shrinkable. */
function resetRoot(): void {
  fs.writeFileSync(temp.paths.userdata, baseline.userdata);
  fs.writeFileSync(temp.paths.tokens, baseline.tokens);
}

async function answerWithin(pending: Promise<Response>, ms: number): Promise<Response | 'too slow'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'too slow'>((resolve) => (timer = setTimeout(() => resolve('too slow'), ms)));
  try {
    return await Promise.race([pending, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A GraphQL answer after which no file may have changed: errors without data, or only mutation
 * results that say they failed (`success: false`).
 */
function graphqlChangedNothing(answer: { data?: unknown; errors?: unknown[] }): boolean {
  if (answer.data === undefined || answer.data === null) return true;
  const outcomes: boolean[] = [];
  const walk = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return;
    if (typeof (value as { success?: unknown }).success === 'boolean') outcomes.push((value as { success: boolean }).success);
    else for (const inner of Object.values(value)) walk(inner);
  };
  walk(answer.data);
  return outcomes.length > 0 && outcomes.every((success) => !success);
}

function describeCase(request: FuzzRequest, status: number | string): string {
  return `${request.method} ${request.target} (auth ${request.auth}) → ${status}`;
}

async function runCase(request: FuzzRequest, answer: RunResult): Promise<void> {
  resetRoot();
  const runner = fakeRunner(() => answer);
  const app = createApp(testPipeline(testServices(temp, { store, system: runner, routes })));
  const before = { userdata: temp.userdataBytes(), tokens: temp.tokensBytes() };

  const response = await answerWithin(app.fetch(toRequest(request), peerContext(request.peer)), ANSWER_WITHIN_MS);
  if (response === 'too slow') throw new Error(`no answer within ${ANSWER_WITHIN_MS} ms: ${describeCase(request, 'none')}`);
  // Writes a function started without awaiting them must land before the files are compared.
  await nextTurn();
  await store.drain();

  const status = response.status;
  const label = describeCase(request, status);
  const pathname = new URL(request.target, 'http://127.0.0.1').pathname;
  tally.cases += 1;
  tally.byStatus.set(status, (tally.byStatus.get(status) ?? 0) + 1);
  if (status < 300 && request.route) tally.routesAnswered2xx.add(request.route);

  if (status >= 500 && !isDocumented5xx(request, pathname, status, answer)) {
    throw new Error(`${label}: ${await response.text()}`);
  }
  expect(response.headers.get('x-content-type-options'), label).toBe('nosniff');
  expect(response.headers.get('cache-control'), label).toBe('no-store');
  const text = await response.text();
  // The reset link's page is the one HTML answer: for a person in a browser, not for the app.
  const isPage = pathname.replace(/\/+$/, '') === '/reset-password' && response.headers.get('content-type')?.startsWith('text/html') === true;
  if (text !== '' && !isPage) expect(() => JSON.parse(text), `${label}: body is not JSON: ${text.slice(0, 80)}`).not.toThrow();

  const after = { userdata: temp.userdataBytes(), tokens: temp.tokensBytes() };
  for (const file of ['userdata', 'tokens'] as const) {
    expect(() => JSON.parse(after[file]), `${label}: ${file}.json is no longer JSON`).not.toThrow();
  }
  if (status >= 400 && status < 500) {
    expect(after, `${label}: a 4xx changed a file`).toEqual(before);
  }
  if (pathname === '/graphql' && status === 200 && graphqlChangedNothing(JSON.parse(text))) {
    expect(after, `${label}: a GraphQL error or failed mutation changed a file`).toEqual(before);
  }
  if (!hasCredential(request)) {
    expect(after, `${label}: a request without a credential changed a file`).toEqual(before);
    expect(runner.calls, `${label}: a request without a credential ran a command`).toEqual([]);
  }
}

describe('fuzzing every route of routes.json', () => {
  it(
    `keeps its promises for ${RUNS} random requests`,
    async () => {
      await fc.assert(fc.asyncProperty(fuzzRequest(fuzzed), runnerAnswer, runCase), { numRuns: RUNS, seed: SEED });
      expect(tally.cases).toBeGreaterThanOrEqual(RUNS);
    },
    // Generous: a case takes milliseconds; this only stops a hang from blocking the suite.
    60_000 + RUNS * 200,
  );
});
