// The systemd units behind `GET /system/configuration/apply|upgrade|rollback` (the NixOS module defines them).

export const CONFIGURATION_UNITS = {
  apply: 'sp-nixos-rebuild.service',
  upgrade: 'sp-nixos-upgrade.service',
  rollback: 'sp-nixos-rollback.service',
} as const;

export type ConfigurationAction = keyof typeof CONFIGURATION_UNITS;

export function isConfigurationAction(name: string): name is ConfigurationAction {
  return Object.hasOwn(CONFIGURATION_UNITS, name);
}

/**
 * `systemctl start` of these oneshot units returns when the rebuild is over, as the original
 * waited for it; a rebuild that outlives this keeps running under systemd, the answer is 124.
 */
export const CONFIGURATION_UNIT_TIMEOUT_MS = 30 * 60_000;
