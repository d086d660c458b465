import { describe, expect, it } from 'vitest';
import startConfigurationUnit from '../../../functions/system/start-configuration-unit.js';
import { unitStateText, useFakeSystemdCtx } from '../../helpers/fake-systemd.js';
import { eventually } from '../../helpers/wait.js';

const setup = useFakeSystemdCtx();

describe('the 1.2 apply/upgrade/rollback answer in 1.3', () => {
  it('answers 200 with the exit code of systemctl start and the job in Location', async () => {
    const { ctx, systemd } = setup;
    systemd.unitState = unitStateText('failed', 'failed', 'exit-code');
    const answer = startConfigurationUnit(new Request('http://127.0.0.1/system/configuration/upgrade'), { ...ctx, params: { action: 'upgrade' } });
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
    expect(systemd.callsOf('systemctl', 'start').map((call) => call.args)).toEqual([['start', '--', 'sp-nixos-upgrade.service']]);
  });
});
