// A service's state from `systemctl is-active` of its units, in the words of upstream's ServiceStatusEnum.
import type { CommandRunner, RunResult } from '../core/commands.js';

/** is-active answers at once; a hung systemd must not hold a request for the default two minutes. */
const IS_ACTIVE_TIMEOUT_MS = 15_000;

/** `systemctl is-active -- <units>`: one word per unit on stdout, exit code 0 only when all are active. */
export function isActive(system: CommandRunner, units: readonly string[]): Promise<RunResult> {
  return system.run('systemctl', ['is-active', '--', ...units], { timeoutMs: IS_ACTIVE_TIMEOUT_MS });
}

export const SERVICE_STATUSES = ['ACTIVE', 'RELOADING', 'INACTIVE', 'FAILED', 'ACTIVATING', 'DEACTIVATING', 'OFF'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

const BY_WORD: Record<string, ServiceStatus> = {
  active: 'ACTIVE',
  reloading: 'RELOADING',
  inactive: 'INACTIVE',
  failed: 'FAILED',
  activating: 'ACTIVATING',
  deactivating: 'DEACTIVATING',
};

/** When units disagree, the state furthest from "running" speaks for the service. */
const SEVERITY: readonly ServiceStatus[] = ['FAILED', 'OFF', 'INACTIVE', 'DEACTIVATING', 'ACTIVATING', 'RELOADING', 'ACTIVE'];

/**
 * `systemctl is-active a b` prints one word per unit, in order. A unit systemd does not know
 * (or no answer at all) is OFF; one failed unit makes the service FAILED.
 */
export function serviceStatusFromIsActive(stdout: string, unitCount: number): ServiceStatus {
  const words = stdout.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  if (unitCount === 0) return 'OFF';
  const statuses = Array.from({ length: unitCount }, (_, index) => BY_WORD[words[index] ?? ''] ?? 'OFF');
  return SEVERITY.find((status) => statuses.includes(status)) ?? 'OFF';
}
