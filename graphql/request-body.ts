// Reads a /graphql request's JSON body within a byte limit the gate chose (small for a stranger).

/** Why a body was not read: larger than the limit, or not JSON. */
export type BodyProblem = 'too large' | 'malformed';

export type ReadBody = { ok: true; value: unknown } | { ok: false; problem: BodyProblem };

/**
 * The body as parsed JSON (null when empty), reading no more than `limit` bytes: a declared
 * length over it is refused before a byte is read, a stream is cancelled once it passes it.
 */
export async function readGraphqlBody(request: Request, limit: number): Promise<ReadBody> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) return { ok: false, problem: 'too large' };
  let text: string;
  if (declared !== null || request.body === null) {
    // Node's HTTP parser ends a body at its declared length, so a declared body is within the limit.
    text = await request.text();
    if (Buffer.byteLength(text) > limit) return { ok: false, problem: 'too large' };
  } else {
    const reader = request.body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, problem: 'too large' };
      }
      chunks.push(value);
    }
    text = Buffer.concat(chunks).toString('utf8');
  }
  if (text.trim() === '') return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, problem: 'malformed' };
  }
}
