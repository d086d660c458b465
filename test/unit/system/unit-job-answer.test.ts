import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerWithUnitJob } from '../../../functions/system/unit-job-answer.js';
import type { Ctx } from '../../../runtime/context.js';
import { makeCtx } from '../../helpers/function-call.js';
import { eventually, fakeSystemd, unitStateText, type FakeSystemd } from '../../helpers/fake-systemd.js';
import { makeTempRoot, type TempRoot } from '../../helpers/temp-root.js';

let temp: TempRoot;
let systemd: FakeSystemd;
let ctx: Ctx;
beforeEach(() => {
  temp = makeTempRoot();
  systemd = fakeSystemd();
  ctx = makeCtx(temp, { system: systemd });
});
afterEach(async () => {
  await ctx.jobs.close();
  temp.cleanup();
});

describe('the 1.2 apply/upgrade/rollback answer in 1.3', () => {
  it('answers 200 with the exit code of systemctl start and the job in Location', async () => {
    systemd.unitState = unitStateText('failed', 'failed', 'exit-code');
    const answer = answerWithUnitJob(ctx, 'upgrade', 'sp-nixos-upgrade.service');
    await eventually(() => systemd.pendingStarts() === 1);
    systemd.finishStart({ exitCode: 3 });
    const response = await answer;
    expect(response.status).toBe(200);
    expect(await response.json()).toBe(3);
    const location = response.headers.get('location')!;
    expect(location).toMatch(/^\/jobs\/[0-9a-f-]{36}$/);
    await eventually(async () => (await ctx.jobs.get(location.slice('/jobs/'.length)))?.state === 'failed');
    const job = await ctx.jobs.get(location.slice('/jobs/'.length));
    expect(job).toMatchObject({ type: 'upgrade', unit: 'sp-nixos-upgrade.service', error: 'systemctl start sp-nixos-upgrade.service exited with 3' });
    expect(systemd.callsOf('systemctl', 'start').map((call) => call.args)).toEqual([['start', 'sp-nixos-upgrade.service']]);
  });
});
