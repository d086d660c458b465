// Password reset links: a single-use secret per user, valid one hour; only its hash is ever stored.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ResetLinkRecord, ResetLinksFile } from '../store/api-state.js';

export const RESET_LINK_LIFETIME_MS = 60 * 60 * 1000;

/** 32 random bytes (256 bits) in base64url: 43 characters, safe in a URL and an HTML attribute. */
const SECRET_BYTES = 32;
export const RESET_SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newResetSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

/** Hex SHA-256: a leaked state file gives no working link (the secret has 256 bits, no salt is needed). */
export function resetSecretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The path and query of a link; the caller puts the server's address in front. */
export function resetLinkPath(secret: string): string {
  return `/reset-password?token=${secret}`;
}

function isLive(record: ResetLinkRecord, now: Date): boolean {
  const expires = Date.parse(record.expiresAt);
  return Number.isFinite(expires) && expires > now.getTime();
}

function records(file: ResetLinksFile): ResetLinkRecord[] {
  return Array.isArray(file.links) ? file.links.filter((record) => typeof record?.secretHash === 'string' && typeof record.username === 'string') : [];
}

/**
 * The live link whose secret this is, or undefined. Every stored hash is compared, each in
 * constant time, so how long the check takes says nothing about how close a guess came.
 */
export function findLiveLink(file: ResetLinksFile, secret: string, now: Date): ResetLinkRecord | undefined {
  if (!RESET_SECRET_PATTERN.test(secret)) return undefined;
  const presented = Buffer.from(resetSecretHash(secret), 'hex');
  let found: ResetLinkRecord | undefined;
  for (const record of records(file)) {
    const stored = Buffer.from(record.secretHash, 'hex');
    if (stored.length === presented.length && timingSafeEqual(stored, presented) && isLive(record, now)) found = record;
  }
  return found;
}

export interface NewResetLink {
  username: string;
  createdBy: string;
  now: Date;
}

/**
 * Records a new link for a user in place: any earlier link of that user ends (a new link replaces
 * the one that may have been sent to the wrong person), and expired links are dropped. Returns the
 * secret, which is given out once and never stored.
 */
export function addResetLink(file: ResetLinksFile, link: NewResetLink): string {
  const secret = newResetSecret();
  const kept = records(file).filter((record) => record.username !== link.username && isLive(record, link.now));
  kept.push({
    username: link.username,
    secretHash: resetSecretHash(secret),
    createdAt: link.now.toISOString(),
    expiresAt: new Date(link.now.getTime() + RESET_LINK_LIFETIME_MS).toISOString(),
    createdBy: link.createdBy,
  });
  file.links = kept;
  return secret;
}

/** Removes the live link of this secret (it is used up) and returns it; undefined when there is none. */
export function takeResetLink(file: ResetLinksFile, secret: string, now: Date): ResetLinkRecord | undefined {
  const link = findLiveLink(file, secret, now);
  if (link === undefined) return undefined;
  file.links = records(file).filter((record) => record !== link && isLive(record, now));
  return link;
}
