// The trial's charts: Prometheus and node exporter started when installed, and a clear word when not.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE_EXPORTER_COMMAND, PROMETHEUS_COMMAND, findOnPath } from '../../../runtime/monitoring-daemons.js';
import { startTrialMonitoring } from '../../../runtime/trial-monitoring.js';
import { makeStandIns, standInRunner } from '../../helpers/stand-ins.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();

const installed = findOnPath(PROMETHEUS_COMMAND) !== undefined && findOnPath(NODE_EXPORTER_COMMAND) !== undefined;

describe('startTrialMonitoring', () => {
  it('says how to install both when they are missing, and leaves the API\'s variables alone', async () => {
    const empty = path.join(temp.root, 'empty-bin');
    fs.mkdirSync(empty);
    const env: NodeJS.ProcessEnv = { PATH: empty };
    const bin = makeStandIns(path.join(temp.root, 'unused'), {});
    const monitoring = await startTrialMonitoring(standInRunner(bin), temp.root, env);
    expect(monitoring.summary).toBe(
      'off: prometheus and prometheus-node-exporter not installed (apt-get install prometheus prometheus-node-exporter); charts answer an error',
    );
    expect(env).toEqual({ PATH: empty });
    await monitoring.stop();
  });

  it('says why when one of them cannot start, and stops the other', async () => {
    // Both start at once; node exporter fails only once Prometheus's call is logged too, so that
    // call is on record before Prometheus is stopped (each stand-in logs when its own process runs).
    const bin = makeStandIns(path.join(temp.root, 'bin'), {
      [PROMETHEUS_COMMAND]: { delayMs: 60_000 },
      [NODE_EXPORTER_COMMAND]: { exitCode: 1, waitForCalls: 2, delayMs: 20_000 },
    });
    const env: NodeJS.ProcessEnv = { PATH: bin.pathValue };
    const monitoring = await startTrialMonitoring(standInRunner(bin), temp.root, env);
    expect(monitoring.summary).toMatch(/^off: prometheus-node-exporter exited at start \(code 1\); see .*node-exporter\.log; charts answer an error$/);
    expect(env.SELFPRIVACY_PROMETHEUS_URL).toBeUndefined();
    // The stand-in Prometheus, which would have run a minute, was stopped: its call never finished.
    expect(bin.timings().map((call) => call.command)).toEqual([NODE_EXPORTER_COMMAND]);
    // Logged in the order their processes came up, which two processes started together do not keep.
    expect(bin.calls().map((call) => call.command).sort()).toEqual([PROMETHEUS_COMMAND, NODE_EXPORTER_COMMAND].sort());
    const exporter = bin.calls().find((call) => call.command === NODE_EXPORTER_COMMAND);
    const prometheus = bin.calls().find((call) => call.command === PROMETHEUS_COMMAND);
    expect(exporter?.args[0]).toMatch(/^--web\.listen-address=127\.0\.0\.1:\d+$/);
    expect(exporter?.args).toEqual(expect.arrayContaining(['--collector.disable-defaults', '--collector.textfile', `--collector.textfile.directory=${path.join(temp.root, 'monitoring', 'node-exporter-textfiles')}`]));
    expect(prometheus?.args).toEqual(expect.arrayContaining(['--storage.tsdb.retention.time=30d', `--storage.tsdb.path=${path.join(temp.root, 'monitoring', 'prometheus-data')}`]));
    expect(prometheus?.args.find((arg) => arg.startsWith('--web.listen-address='))).toMatch(/^--web\.listen-address=127\.0\.0\.1:\d+$/);
  });

  it.skipIf(!installed)('starts both on loopback under the trial root and points the API at them', async () => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
    const monitoring = await startTrialMonitoring(standInRunner(makeStandIns(path.join(temp.root, 'bin'), {})), temp.root, env);
    try {
      expect(monitoring.summary).toMatch(/^Prometheus http:\/\/127\.0\.0\.1:\d+, node exporter http:\/\/127\.0\.0\.1:\d+ \(data and logs in .*\/monitoring\)$/);
      expect(env.SELFPRIVACY_PROMETHEUS_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(env.SELFPRIVACY_NODE_EXPORTER_TEXTFILE_DIR).toBe(path.join(temp.root, 'monitoring', 'node-exporter-textfiles'));
      const ready = await fetch(`${env.SELFPRIVACY_PROMETHEUS_URL}/-/ready`);
      expect(ready.status).toBe(200);
    } finally {
      await monitoring.stop();
    }
    await expect(fetch(`${env.SELFPRIVACY_PROMETHEUS_URL}/-/ready`)).rejects.toThrow();
  });
});
