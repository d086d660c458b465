// What `systemctl show -p ActiveState -p SubState -p Result <unit>` says about a job's unit.

export interface UnitState {
  activeState?: string;
  subState?: string;
  result?: string;
}

export const UNIT_STATE_PROPERTIES = ['ActiveState', 'SubState', 'Result'] as const;

export function parseUnitState(output: string): UnitState {
  const state: UnitState = {};
  for (const line of output.split('\n')) {
    const [name, ...rest] = line.trim().split('=');
    const value = rest.join('=');
    if (value === '') continue;
    if (name === 'ActiveState') state.activeState = value;
    else if (name === 'SubState') state.subState = value;
    else if (name === 'Result') state.result = value;
  }
  return state;
}

export type UnitVerdict = { state: 'running' } | { state: 'succeeded' } | { state: 'failed'; reason: string } | { state: 'unknown' };

/**
 * Whether the unit's run is over. A oneshot unit is `activating` while it works, then
 * `inactive` with Result=success (or `active`/`exited` with RemainAfterExit); a failure leaves
 * it `failed`. A long-running `active`/`running` service is still working.
 */
export function judgeUnitState(unit: UnitState): UnitVerdict {
  switch (unit.activeState) {
    case 'activating':
    case 'deactivating':
    case 'reloading':
    case 'refreshing':
      return { state: 'running' };
    case 'active':
      return unit.subState === 'running' ? { state: 'running' } : { state: 'succeeded' };
    case 'failed':
      return { state: 'failed', reason: `the unit failed (${unit.result ?? 'no result given'})` };
    case 'inactive':
      if (unit.result === undefined) return { state: 'unknown' };
      return unit.result === 'success' ? { state: 'succeeded' } : { state: 'failed', reason: `the unit failed (${unit.result})` };
    default:
      return { state: 'unknown' };
  }
}
