// Apply/upgrade/rollback answer the 1.2 answer when the unit ends, however long it takes.
import { describe, expect, it } from 'vitest';
import { concretePaths } from '../../../runtime/route-paths.js';
import type { CommandRunner } from '../../../core/commands.js';
import { fakeRunner, PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { allRoutes, makeInProcessApp } from '../../helpers/in-process-app.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();

/** Stand-in commands where `slow` ones take `ms`, like `systemctl start` of a oneshot rebuild (it returns when the unit is done). */
function slowRunner(slow: (command: string, args: string[]) => boolean, ms: number): CommandRunner {
  const answers = fakeRunner((_command, args) => (args[0] === 'show' ? { stdout: 'ActiveState=inactive\nSubState=dead\nResult=success\n' } : {}));
  return {
    ...answers,
    async run(command, args, options) {
      if (slow(command, [...args])) await new Promise((resolve) => setTimeout(resolve, ms));
      return answers.run(command, args, options);
    },
  };
}

const slowSystemd = (ms: number): CommandRunner => slowRunner((command, args) => command === 'systemctl' && args[0] === 'start', ms);

const REQUEST_LIMIT_MS = 150;

describe.each(['apply', 'upgrade', 'rollback'])('GET /system/configuration/%s', (action) => {
  it('answers the exit code when the unit ends, past the request time limit, with the job visible under /jobs meanwhile', async () => {
    const app = await makeInProcessApp(temp, { system: slowSystemd(REQUEST_LIMIT_MS * 4), guard: { requestTimeoutMs: REQUEST_LIMIT_MS } });
    const answered = app.request(`/system/configuration/${action}`, { token: PRIMARY_TOKEN });
    await new Promise((resolve) => setTimeout(resolve, REQUEST_LIMIT_MS * 2));
    const jobs = await app.request('/jobs', { token: PRIMARY_TOKEN });
    expect(jobs.body).toMatchObject([{ state: 'running', unit: expect.stringMatching(/^sp-nixos-/) }]);
    const answer = await answered;
    expect(answer.status).toBe(200);
    expect(answer.body).toBe(0);
    expect(answer.headers.get('location')).toBe(`/jobs/${jobs.body[0].id}`);
  });
});

describe('the time limit of other routes', () => {
  it('still answers 503 when a route without its own limit runs past the default', async () => {
    const app = await makeInProcessApp(temp, { system: slowRunner((command) => command === 'uname', REQUEST_LIMIT_MS * 4), guard: { requestTimeoutMs: REQUEST_LIMIT_MS } });
    expect((await app.request('/system/version', { token: PRIMARY_TOKEN })).status).toBe(503);
  });

  it('is set in routes.json for the three rebuild routes only, beyond the 6 hours `systemctl start` may wait', async () => {
    const limited = (await allRoutes()).filter((route) => route.timeLimitSeconds !== undefined);
    expect(limited.flatMap((route) => concretePaths(route).map(({ path }) => path)).sort()).toEqual(['/system/configuration/apply', '/system/configuration/rollback', '/system/configuration/upgrade']);
    for (const route of limited) expect(route.timeLimitSeconds).toBeGreaterThan(6 * 3600);
  });
});
