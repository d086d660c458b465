// Bearer-token authentication (RFC 6750) against tokens.json, compared in constant time.
import { hash, timingSafeEqual } from 'node:crypto';
import { derived } from '../store/derived.js';
import type { TokensFile } from '../store/tokens.js';
import type { Caller } from '../kit/context.js';
import { HttpError } from '../core/errors.js';

const CHALLENGE = { 'www-authenticate': 'Bearer realm="selfprivacy"' };

// SHA-256 in hex, in one call: the cheapest form Node has (≥ 20.12), and the index's key below.
function hexDigest(value: string): string {
  return hash('sha256', value);
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

interface StoredToken {
  /** The hex digest's bytes, for timingSafeEqual. */
  digest: Buffer;
  name: string;
  token: string;
}

/**
 * Stored tokens by the hex of their digest; a token stored twice is found as its first record.
 * Built once per version of tokens.json, so stored tokens are hashed once, not on every request.
 */
function tokensByDigest(tokens: TokensFile): Map<string, StoredToken> {
  const index = new Map<string, StoredToken>();
  for (const record of Array.isArray(tokens.tokens) ? tokens.tokens : []) {
    if (typeof record?.token !== 'string') continue;
    const key = hexDigest(record.token);
    if (!index.has(key)) index.set(key, { digest: Buffer.from(key, 'latin1'), name: String(record.name), token: record.token });
  }
  return index;
}

/**
 * Finds the device owning `token`. The presented token is hashed and looked up by its digest:
 * how long a lookup takes could only tell something about digests, and a digest gives no token
 * back. The match is then confirmed with a constant-time comparison of equal-length digests, so
 * neither the position of a match nor the length of a token leaks through timing. The index is
 * built once per version of tokens.json (see store/derived.ts).
 */
export function findCaller(token: string, tokens: TokensFile): Caller | null {
  const presented = hexDigest(token);
  const stored = derived(tokens, 'tokens by digest', tokensByDigest).get(presented);
  if (stored === undefined || !timingSafeEqual(Buffer.from(presented, 'latin1'), stored.digest)) return null;
  return { name: stored.name, token: stored.token };
}

/** Authenticates a request or throws the contract's 401. */
export function authenticate(request: Request, tokens: TokensFile): Caller {
  const caller = findCaller(bearerToken(request), tokens);
  if (caller === null) {
    throw new HttpError(401, { error: 'Invalid token' }, { 'www-authenticate': 'Bearer realm="selfprivacy", error="invalid_token"' });
  }
  return caller;
}
