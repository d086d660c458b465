// Reads the process environment once into a typed configuration (docs/contract.md, "How the server is run").
import path from 'node:path';

export interface AppConfig {
  /** Every server path is resolved under this folder. */
  root: string;
  host: string;
  port: number;
  /** ENABLE_SWAGGER=1 forces the OpenAPI document on; userdata's api.enableSwagger can too. */
  swaggerFromEnv: boolean;
  logLevel: string;
  resticRepository: string | undefined;
  /** RESTIC_PASSWORD: handed to restic through its environment only. */
  resticPassword: string | undefined;
  /** SELFPRIVACY_PROMETHEUS_URL: where the charts are read from. */
  prometheusUrl: string | undefined;
  /** SELFPRIVACY_NODE_EXPORTER_TEXTFILE_DIR: where service memory is written for node exporter; unset, nothing is. */
  nodeExporterTextfileFolder: string | undefined;
  /** SELFPRIVACY_SERVICE_MEMORY_INTERVAL (seconds, default 15): how often service memory is sampled. */
  serviceMemoryIntervalMs: number;
  /** SELFPRIVACY_AUTOBACKUP_CHECK_SECONDS: how often automatic backups are looked at (default 60). */
  autobackupCheckSeconds: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const port = Number(env.PORT ?? '5050');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, got ${env.PORT}`);
  }
  const prometheusUrl = env.SELFPRIVACY_PROMETHEUS_URL || undefined;
  if (prometheusUrl !== undefined) checkPrometheusUrl(prometheusUrl);
  const intervalSeconds = Number(env.SELFPRIVACY_SERVICE_MEMORY_INTERVAL ?? '15');
  if (!Number.isFinite(intervalSeconds) || intervalSeconds < 1) {
    throw new Error(`SELFPRIVACY_SERVICE_MEMORY_INTERVAL must be a number of seconds, at least 1, got ${env.SELFPRIVACY_SERVICE_MEMORY_INTERVAL}`);
  }
  const autobackupCheckSeconds = Number(env.SELFPRIVACY_AUTOBACKUP_CHECK_SECONDS ?? '60');
  if (!Number.isFinite(autobackupCheckSeconds) || autobackupCheckSeconds <= 0 || autobackupCheckSeconds > 86_400) {
    throw new Error(`SELFPRIVACY_AUTOBACKUP_CHECK_SECONDS must be a number of seconds from 1 to 86400, got ${env.SELFPRIVACY_AUTOBACKUP_CHECK_SECONDS}`);
  }
  return {
    root: path.resolve(env.SELFPRIVACY_ROOT ?? '/'),
    host: env.HOST ?? '127.0.0.1',
    port,
    swaggerFromEnv: env.ENABLE_SWAGGER === '1' || env.ENABLE_SWAGGER === 'true',
    logLevel: env.LOG_LEVEL ?? 'info',
    resticRepository: env.SELFPRIVACY_RESTIC_REPOSITORY || undefined,
    resticPassword: env.RESTIC_PASSWORD || undefined,
    prometheusUrl,
    nodeExporterTextfileFolder: env.SELFPRIVACY_NODE_EXPORTER_TEXTFILE_DIR ? path.resolve(env.SELFPRIVACY_NODE_EXPORTER_TEXTFILE_DIR) : undefined,
    serviceMemoryIntervalMs: intervalSeconds * 1000,
    autobackupCheckSeconds,
  };
}

/** Charts' errors name the address they could not reach, so it may hold no user name or password. */
function checkPrometheusUrl(text: string): void {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error('SELFPRIVACY_PROMETHEUS_URL must be an http:// or https:// address');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`SELFPRIVACY_PROMETHEUS_URL must be an http:// or https:// address, got ${url.protocol}`);
  if (url.username !== '' || url.password !== '') throw new Error('SELFPRIVACY_PROMETHEUS_URL must hold no user name or password');
}
