// What functions and the backup controller know of the environment, read once by runtime/config.ts.

export interface Settings {
  /** ENABLE_SWAGGER=1 in the environment. */
  swaggerFromEnv: boolean;
  /** SELFPRIVACY_RESTIC_REPOSITORY: replaces the B2 repository (local trial, tests). */
  resticRepository?: string;
  /** RESTIC_PASSWORD: the repository password, passed to restic through its environment only. */
  resticPassword?: string;
  /** SELFPRIVACY_PROMETHEUS_URL: the Prometheus the server page's charts are read from (default: the NixOS module's). */
  prometheusUrl?: string;
  /** SELFPRIVACY_AUTOBACKUP_CHECK_SECONDS: how often the server looks for services due an automatic backup (default 60). */
  autobackupCheckSeconds?: number;
}
