// Journal entries shaped like `journalctl -o json` prints them, for the logs and jobs tests.

const BOOT = '4f6c1e0a2b3d4c5e8f9a0b1c2d3e4f50';
const SEQNUM_ID = '0123456789abcdef0123456789abcdef';

/** The cursor journalctl would print for the n-th entry. */
export function journalCursor(n: number): string {
  return `s=${SEQNUM_ID};i=${n.toString(16)};b=${BOOT};m=${(n * 1000).toString(16)};t=${(1_700_000_000_000_000 + n).toString(16)};x=${(n * 7919).toString(16)}`;
}

/** One JSON line for entry `n` of `unit` (microsecond timestamps, string values, as journalctl writes). */
export function journalLine(n: number, unit: string, message: unknown = `line ${n}`): string {
  return JSON.stringify({
    __CURSOR: journalCursor(n),
    __REALTIME_TIMESTAMP: String(1_700_000_000_000_000 + n * 1_000_000),
    __MONOTONIC_TIMESTAMP: String(n * 1000),
    _BOOT_ID: BOOT,
    PRIORITY: '6',
    _SYSTEMD_UNIT: unit,
    SYSLOG_IDENTIFIER: unit.replace(/\.service$/, ''),
    _PID: '4242',
    _HOSTNAME: 'test-instance',
    MESSAGE: message,
  });
}

/** Entries `from` down to `to` (newest first), one per line. */
export function journalOutput(unit: string, from: number, to: number): string {
  const lines: string[] = [];
  for (let n = from; n >= to; n -= 1) lines.push(journalLine(n, unit));
  return lines.join('\n') + '\n';
}
