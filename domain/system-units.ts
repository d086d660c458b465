// The systemd units behind `GET /system/configuration/apply|upgrade|rollback` (the NixOS module defines them).

/** Each action: the unit `systemctl start` runs, and the job type it is recorded as (GET /jobs, API 1.3). */
export const CONFIGURATION_ACTIONS = {
  apply: { unit: 'sp-nixos-rebuild.service', jobType: 'rebuild' },
  upgrade: { unit: 'sp-nixos-upgrade.service', jobType: 'upgrade' },
  rollback: { unit: 'sp-nixos-rollback.service', jobType: 'rollback' },
} as const;

export type ConfigurationAction = keyof typeof CONFIGURATION_ACTIONS;
