// The systemd units whose journal the API shows: the services it manages, its own jobs, itself.
import { CONFIGURATION_ACTIONS } from './system-units.js';

/** Units of the services (as `GET /services/status` checks them), by unit name without `.service`. */
export const SERVICE_UNITS = ['dovecot2', 'postfix', 'nginx', 'vaultwarden', 'gitea', 'phpfpm-nextcloud', 'ocserv', 'pleroma'] as const;

export const API_UNIT = 'selfprivacy-api';

/** sp-nixos-rebuild, sp-nixos-upgrade, sp-nixos-rollback and any later sibling; no glob characters. */
const SP_NIXOS_UNIT = /^sp-nixos-[a-z0-9][a-z0-9-]{0,62}$/;

function withoutSuffix(unit: string): string {
  return unit.endsWith('.service') ? unit.slice(0, -'.service'.length) : unit;
}

/** Whether `unit` (with or without `.service`) is one the API may read the journal of. */
export function isKnownLogUnit(unit: string): boolean {
  const name = withoutSuffix(unit);
  return (SERVICE_UNITS as readonly string[]).includes(name) || name === API_UNIT || SP_NIXOS_UNIT.test(name);
}

/** The full unit name journalctl is given, e.g. `nginx` → `nginx.service`. */
export function serviceUnitName(unit: string): string {
  return `${withoutSuffix(unit)}.service`;
}

/** Every unit the API shows logs of by its full name: the services, the API, and its sp-nixos-* units (no globs). */
export const ALL_LOG_UNITS: readonly string[] = [...SERVICE_UNITS, API_UNIT, ...Object.values(CONFIGURATION_ACTIONS).map((action) => action.unit)].map(
  serviceUnitName,
);
