// Prometheus and node exporter on loopback ports under a folder: the trial's metrics source, and the tests'.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { CommandRunner, StartedCommand } from '../core/commands.js';

/** Debian's names of the two programs (packages `prometheus` and `prometheus-node-exporter`). */
export const PROMETHEUS_COMMAND = 'prometheus';
export const NODE_EXPORTER_COMMAND = 'prometheus-node-exporter';

/** The node exporter collectors the charts' queries read, and nothing else. */
export const NODE_EXPORTER_COLLECTORS = ['cpu', 'meminfo', 'filesystem', 'netdev', 'textfile'] as const;

const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;
/** The runner kills every command after a time; for a daemon, the longest a timer can wait (about 24 days). */
const DAEMON_LIFETIME_MS = 2_147_483_647;

export interface MonitoringDaemons {
  prometheusUrl: string;
  nodeExporterUrl: string;
  /** Where node exporter's textfile collector reads `*.prom` files (the API writes service memory there). */
  textfileFolder: string;
  /** Stops both daemons and waits until they are gone. */
  stop(): Promise<void>;
}

export interface MonitoringDaemonOptions {
  /** How often Prometheus scrapes node exporter (the NixOS module: 15 s; tests: 1 s). */
  scrapeIntervalSeconds: number;
}

/** The first executable `name` on PATH, or undefined. */
export function findOnPath(name: string, pathValue: string = process.env.PATH ?? ''): string | undefined {
  for (const folder of pathValue.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(folder, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/**
 * A loopback port nobody listens on now. Neither daemon can be told to take port 0 and report what
 * it got, so the port is found by binding 0 first; another process could take it in between.
 */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function prometheusConfig(nodeExporterAddress: string, scrapeIntervalSeconds: number): string {
  // YAML is a superset of JSON: no YAML writer needed for a document this small.
  return `${JSON.stringify({
    global: { scrape_interval: `${scrapeIntervalSeconds}s`, evaluation_interval: `${scrapeIntervalSeconds}s` },
    scrape_configs: [{ job_name: 'node', static_configs: [{ targets: [nodeExporterAddress] }] }],
  }, null, 2)}\n`;
}

interface Daemon {
  name: string;
  logFile: string;
  started: StartedCommand;
  /** Set once the process has ended. */
  exitCode: number | undefined;
}

async function startDaemon(system: CommandRunner, command: string, args: string[], logFile: string): Promise<Daemon> {
  const started = await system.start(command, args, { stdoutFile: `${logFile}.out`, stderrFile: logFile, timeoutMs: DAEMON_LIFETIME_MS });
  const daemon: Daemon = { name: command, logFile, started, exitCode: undefined };
  void started.exited.then(({ exitCode }) => (daemon.exitCode = exitCode));
  return daemon;
}

/** Waits until `url` answers 200, or the process exits, or the time is up. */
async function waitReady(url: string, daemon: Daemon): Promise<void> {
  const { name, logFile } = daemon;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (daemon.exitCode !== undefined) throw new Error(`${name} exited at start (code ${daemon.exitCode}); see ${logFile}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${name} did not become ready within ${READY_TIMEOUT_MS / 1000} s; see ${logFile}`);
}

/** SIGTERM (both shut down cleanly on it), SIGKILL after a grace period; resolves once the process is gone. */
async function stopDaemon({ started, exitCode }: Daemon): Promise<void> {
  const { pid } = started;
  if (pid === undefined || exitCode !== undefined) return;
  const signal = (name: NodeJS.Signals): void => {
    try {
      process.kill(pid, name);
    } catch {
      // already gone
    }
  };
  const force = setTimeout(() => signal('SIGKILL'), STOP_GRACE_MS);
  signal('SIGTERM');
  await started.exited;
  clearTimeout(force);
}

/**
 * Starts node exporter and Prometheus, both on 127.0.0.1 only, with their data, configuration and
 * logs under `folder`, and waits until both answer. Throws (after stopping what it started) when
 * either cannot start.
 */
export async function startMonitoringDaemons(
  system: CommandRunner,
  folder: string,
  { scrapeIntervalSeconds }: MonitoringDaemonOptions,
): Promise<MonitoringDaemons> {
  const textfileFolder = path.join(folder, 'node-exporter-textfiles');
  const dataFolder = path.join(folder, 'prometheus-data');
  fs.mkdirSync(textfileFolder, { recursive: true });
  fs.mkdirSync(dataFolder, { recursive: true });
  const [exporterPort, prometheusPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
  const exporterAddress = `127.0.0.1:${exporterPort}`;
  const prometheusAddress = `127.0.0.1:${prometheusPort}`;
  const configFile = path.join(folder, 'prometheus.yml');
  fs.writeFileSync(configFile, prometheusConfig(exporterAddress, scrapeIntervalSeconds));
  const exporterLog = path.join(folder, 'node-exporter.log');
  const prometheusLog = path.join(folder, 'prometheus.log');
  const started: Daemon[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(started.map(stopDaemon));
  };
  try {
    const exporter = await startDaemon(system, NODE_EXPORTER_COMMAND, [
      `--web.listen-address=${exporterAddress}`,
      '--collector.disable-defaults',
      ...NODE_EXPORTER_COLLECTORS.map((name) => `--collector.${name}`),
      `--collector.textfile.directory=${textfileFolder}`,
      '--log.level=warn',
    ], exporterLog);
    started.push(exporter);
    const prometheus = await startDaemon(system, PROMETHEUS_COMMAND, [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${dataFolder}`,
      '--storage.tsdb.retention.time=30d',
      `--web.listen-address=${prometheusAddress}`,
      '--log.level=warn',
    ], prometheusLog);
    started.push(prometheus);
    await waitReady(`http://${exporterAddress}/metrics`, exporter);
    await waitReady(`http://${prometheusAddress}/-/ready`, prometheus);
  } catch (error) {
    await stop();
    throw error;
  }
  return { prometheusUrl: `http://${prometheusAddress}`, nodeExporterUrl: `http://${exporterAddress}`, textfileFolder, stop };
}
