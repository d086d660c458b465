// Whether a stored one-time secret is still usable at a given moment.
import { parseStoredDate } from './token-dates.js';

/** A missing or null expiration never expires; an unreadable one is treated as expired. */
export function isExpired(expiration: unknown, now: Date): boolean {
  if (expiration === null || expiration === undefined) return false;
  const date = parseStoredDate(expiration);
  return date === null || date.getTime() <= now.getTime();
}
