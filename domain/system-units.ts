// The systemd units behind `GET /system/configuration/apply|upgrade|rollback` (the NixOS module defines them).

export const CONFIGURATION_UNITS = {
  apply: 'sp-nixos-rebuild.service',
  upgrade: 'sp-nixos-upgrade.service',
  rollback: 'sp-nixos-rollback.service',
} as const;

/** The job type each action is recorded as (GET /jobs, API 1.3). */
export const CONFIGURATION_JOB_TYPES = {
  apply: 'rebuild',
  upgrade: 'upgrade',
  rollback: 'rollback',
} as const;

export type ConfigurationAction = keyof typeof CONFIGURATION_UNITS;

export function isConfigurationAction(name: string): name is ConfigurationAction {
  return Object.hasOwn(CONFIGURATION_UNITS, name);
}
