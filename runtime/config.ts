// Reads the process environment once into a typed configuration (contract §1).
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
  /** SELFPRIVACY_AUTOBACKUP_CHECK_SECONDS: how often automatic backups are looked at (default 60). */
  autobackupCheckSeconds: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const port = Number(env.PORT ?? '5050');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, got ${env.PORT}`);
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
    autobackupCheckSeconds,
  };
}
