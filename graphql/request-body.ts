// Reads a /graphql request's JSON body within a byte limit the gate chose (small for a stranger).
import { readTextWithin } from '../kit/body.js';

/** Why a body was not read: larger than the limit, or not JSON. */
export type BodyProblem = 'too large' | 'malformed';

export type ReadBody = { ok: true; value: unknown } | { ok: false; problem: BodyProblem };

/**
 * The body as parsed JSON (null when empty), reading no more than `limit` bytes: a declared
 * length over it is refused before a byte is read, a stream is cancelled once it passes it.
 */
export async function readGraphqlBody(request: Request, limit: number): Promise<ReadBody> {
  const text = await readTextWithin(request, limit);
  // A test's Request may declare less than it carries; the limit holds for what was read.
  if (text === null || Buffer.byteLength(text) > limit) return { ok: false, problem: 'too large' };
  if (text.trim() === '') return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, problem: 'malformed' };
  }
}
