// Unit tests of the GraphQL "monitoring" area: no metrics source here, so every series is a MonitoringQueryError.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NO_METRICS_SOURCE } from '../../../graphql/areas/monitoring.js';
import type { Ctx } from '../../../kit/context.js';
import { fakeRunner, makeCtx } from '../../helpers/function-call.js';
import { sendAppOperation } from './app-operation.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();
let ctx: Ctx;
const runner = fakeRunner();

beforeEach(() => {
  ctx = makeCtx(temp, { system: runner, caller: null });
});
afterEach(async () => {
  await ctx.jobs.close();
});

const range = { start: '2026-11-30T10:00:00.000Z', end: '2026-11-30T11:00:00.000Z', step: 60 };
const noMetrics = { error: NO_METRICS_SOURCE };

describe('monitoring', () => {
  it('GetOverallCpuAndNetworkMetrics answers the error for CPU and network', async () => {
    const answer = await sendAppOperation(ctx, 'GetOverallCpuAndNetworkMetrics', range);
    expect(answer.body).toEqual({ data: { monitoring: { cpuUsage: { overallUsage: noMetrics }, networkUsage: { overallUsage: noMetrics } } } });
  });

  it('GetMemoryMetrics answers the error for each of the four series', async () => {
    const answer = await sendAppOperation(ctx, 'GetMemoryMetrics', { step: 300 });
    expect(answer.body.data.monitoring.memoryUsage).toEqual({
      overallUsage: noMetrics,
      swapUsageOverall: noMetrics,
      averageUsageByService: noMetrics,
      maxUsageByService: noMetrics,
    });
  });

  it('GetDiskMetrics answers the error, running nothing', async () => {
    const answer = await sendAppOperation(ctx, 'GetDiskMetrics', range);
    expect(answer.body.data.monitoring.diskUsage.overallUsage).toEqual(noMetrics);
    expect(NO_METRICS_SOURCE).toMatch(/^Not supported on this server: /);
    expect(runner.calls).toEqual([]);
  });
});
