// Device names of API tokens: `[a-zA-Z0-9_]` only, never empty, unique among the tokens.
import { randomInt } from 'node:crypto';

export const UNKNOWN_DEVICE = 'Unknown device';

export function cleanDeviceName(raw: string): string {
  const cleaned = raw.replace(/[^a-zA-Z0-9]/g, '_');
  return cleaned === '' ? UNKNOWN_DEVICE : cleaned;
}

/** Appends random digits to a taken name until no token has it. */
export function uniqueDeviceName(raw: string, takenNames: ReadonlySet<string>): string {
  let name = cleanDeviceName(raw);
  while (takenNames.has(name)) name += String(randomInt(10));
  return name;
}
