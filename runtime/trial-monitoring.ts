// The local trial's charts: Prometheus and node exporter started beside the API when they are installed.
import path from 'node:path';
import type { CommandRunner } from '../core/commands.js';
import { NODE_EXPORTER_COMMAND, PROMETHEUS_COMMAND, findOnPath, startMonitoringDaemons } from './monitoring-daemons.js';

/** The trial's metrics source: what the banner says about it, and how to stop it. */
export interface TrialMonitoring {
  summary: string;
  stop(): Promise<void>;
}

/** The trial scrapes more often than a server, so a new trial root has charts to show sooner. */
const TRIAL_SCRAPE_SECONDS = 5;

/**
 * Starts Prometheus and node exporter for the trial under `<root>/monitoring` (kept between runs,
 * as the rest of the trial root) when both are installed, and points the API at them through its
 * environment. Without them the charts answer that Prometheus cannot be reached, and the summary
 * says how to install them.
 */
export async function startTrialMonitoring(system: CommandRunner, root: string, env: NodeJS.ProcessEnv = process.env): Promise<TrialMonitoring> {
  const missing = [PROMETHEUS_COMMAND, NODE_EXPORTER_COMMAND].filter((command) => findOnPath(command, env.PATH) === undefined);
  const none = async (): Promise<void> => undefined;
  if (missing.length > 0) {
    return { summary: `off: ${missing.join(' and ')} not installed (apt-get install prometheus prometheus-node-exporter); charts answer an error`, stop: none };
  }
  const folder = path.join(root, 'monitoring');
  try {
    const daemons = await startMonitoringDaemons(system, folder, { scrapeIntervalSeconds: TRIAL_SCRAPE_SECONDS });
    env.SELFPRIVACY_PROMETHEUS_URL = daemons.prometheusUrl;
    env.SELFPRIVACY_NODE_EXPORTER_TEXTFILE_DIR = daemons.textfileFolder;
    env.SELFPRIVACY_SERVICE_MEMORY_INTERVAL ??= String(TRIAL_SCRAPE_SECONDS);
    return {
      summary: `Prometheus ${daemons.prometheusUrl}, node exporter ${daemons.nodeExporterUrl} (data and logs in ${folder})`,
      stop: daemons.stop,
    };
  } catch (error) {
    return { summary: `off: ${(error as Error).message}; charts answer an error`, stop: none };
  }
}
