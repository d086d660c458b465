// Bearer-token authentication (RFC 6750) against tokens.json, compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { TokensFile } from '../store/tokens.js';
import type { Caller } from './context.js';
import { HttpError } from './errors.js';

const CHALLENGE = { 'www-authenticate': 'Bearer realm="selfprivacy"' };

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

// Digests of stored tokens, remembered so a request hashes only the token it presents (a hash
// costs microseconds, and every stored token is compared on every request). Whether a stored
// token was remembered says nothing about the presented one. Cleared when it grows, so tokens
// long gone from tokens.json do not stay in memory.
const storedDigests = new Map<string, Buffer>();
const MAX_REMEMBERED_DIGESTS = 256;

function storedDigest(token: string): Buffer {
  let known = storedDigests.get(token);
  if (known === undefined) {
    if (storedDigests.size >= MAX_REMEMBERED_DIGESTS) storedDigests.clear();
    known = digest(token);
    storedDigests.set(token, known);
  }
  return known;
}

/** Extracts the token of an `Authorization: Bearer <token>` header, or throws 401. */
export function bearerToken(request: Request): string {
  const header = request.headers.get('authorization');
  if (header === null || header.trim() === '') {
    throw new HttpError(401, { error: 'Missing Authorization header' }, CHALLENGE);
  }
  const match = header.match(/^Bearer[ \t]+(\S+)\s*$/i);
  if (match === null) {
    throw new HttpError(401, { error: 'Invalid token' }, { 'www-authenticate': 'Bearer realm="selfprivacy", error="invalid_token"' });
  }
  return match[1] as string;
}

/**
 * Finds the device owning `token`. Every stored token is compared, with digests of equal length,
 * so neither the position of a match nor the length of a token leaks through timing.
 */
export function findCaller(token: string, tokens: TokensFile): Caller | null {
  const presented = digest(token);
  let found: Caller | null = null;
  for (const record of Array.isArray(tokens.tokens) ? tokens.tokens : []) {
    if (typeof record?.token !== 'string') continue;
    if (timingSafeEqual(presented, storedDigest(record.token)) && found === null) {
      found = { name: String(record.name), token: record.token };
    }
  }
  return found;
}

/** Authenticates a request or throws the contract's 401. */
export function authenticate(request: Request, tokens: TokensFile): Caller {
  const caller = findCaller(bearerToken(request), tokens);
  if (caller === null) {
    throw new HttpError(401, { error: 'Invalid token' }, { 'www-authenticate': 'Bearer realm="selfprivacy", error="invalid_token"' });
  }
  return caller;
}
