// When a stored recovery token may still be used.
import type { RecoveryTokenRecord } from '../store/tokens.js';
import { isExpired } from './expiry.js';

/** Usable now: not expired and not used up. */
export function isRecoveryTokenValid(record: RecoveryTokenRecord, now: Date): boolean {
  const usesLeft = record.uses_left;
  const usedUp = typeof usesLeft === 'number' && usesLeft <= 0;
  return !usedUp && !isExpired(record.expiration, now);
}
