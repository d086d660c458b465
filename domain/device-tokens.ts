// Issuing a new API token for a device: the step shared by new-device and recovery logins.
import { randomBytes } from 'node:crypto';
import type { TokensFile } from '../store/tokens.js';
import { uniqueDeviceName } from './device-name.js';
import { formatTokenDate } from './token-dates.js';

/** 32 random bytes, URL-safe base64 without padding (as Python's secrets.token_urlsafe(32)). */
export function newApiToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Adds a token for `deviceName` (cleaned, made unique) to the file and returns the token. */
export function issueDeviceToken(tokens: TokensFile, deviceName: string, now: Date): string {
  if (!Array.isArray(tokens.tokens)) tokens.tokens = [];
  const taken = new Set(tokens.tokens.map((record) => record.name));
  const token = newApiToken();
  tokens.tokens.push({ token, name: uniqueDeviceName(deviceName, taken), date: formatTokenDate(now) });
  return token;
}
