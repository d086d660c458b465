// Idempotency-Key middleware: a retried mutating request gets the first answer instead of doing the work twice.
import { MUTATING_METHODS } from '../kit/http-methods.js';
import { createHash, hash } from 'node:crypto';
import { readJsonBody } from '../kit/body.js';
import { HttpError, badRequest } from '../core/errors.js';
import { json } from '../kit/respond.js';
import { ErrorBody } from '../kit/response-schemas.js';
import type { RouteDefinition } from '../kit/routes.js';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** For the OpenAPI document: the header parameter of every operation that honours the header. */
const IDEMPOTENCY_KEY_DESCRIPTION =
  'Optional. A unique value (1 to 255 visible ASCII characters, e.g. a UUID) chosen by the client for one ' +
  'intended change. Repeating the request with the same key and the same token within 24 hours returns the ' +
  'first answer (status, body and headers, plus `Idempotent-Replayed: true`) without doing the work again; ' +
  'a repeat that arrives while the first is still running waits for it. Reusing a key for a different ' +
  'request (method, path or body) answers 422. Answers with a 5xx status are not kept, so such a request ' +
  'can be retried with the same key. Ignored on GET and on public routes.';

export const IDEMPOTENCY_HEADER_PARAMETER = {
  name: IDEMPOTENCY_HEADER,
  in: 'header',
  required: false,
  description: IDEMPOTENCY_KEY_DESCRIPTION,
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7E]+$' },
} as const;

/** Deeper than any body of this API; a deeper one is refused rather than walked. */
const MAX_FINGERPRINT_DEPTH = 64;

/** For the OpenAPI document: the answers the header adds to a mutating operation. */
export const IDEMPOTENCY_RESPONSES = {
  400: { description: `Malformed Idempotency-Key header, or a body with one nested deeper than ${MAX_FINGERPRINT_DEPTH} levels`, schema: ErrorBody },
  422: { description: 'Idempotency-Key already used for a different request', schema: ErrorBody },
} as const;

/** Where the header is honoured: a change made with a token (a public route has no caller to keep answers for). */
export function honoursIdempotencyKey(route: Pick<RouteDefinition, 'method' | 'public'>): boolean {
  return !route.public && MUTATING_METHODS.has(route.method);
}

const VALID_KEY = /^[\x21-\x7e]{1,255}$/;
const REPLAY_HEADER = 'idempotent-replayed';

export interface IdempotencyOptions {
  /** How long an answer is kept (24 h). */
  ttlMs?: number;
  /** Answers kept at most; the oldest go first. */
  maxEntries?: number;
  /** A bigger answer is given to the requests waiting for it but not kept for later ones. */
  maxBodyBytes?: number;
  now?: () => number;
}

interface Answer {
  status: number;
  headers: Array<[string, string]>;
  body: Uint8Array;
}

interface Entry {
  fingerprint: string;
  createdAt: number;
  answer: Promise<Answer>;
}

/** A piece of the canonical text still to write: a value, or punctuation around one. */
type CanonicalStep = { text: string } | { value: unknown; depth: number };

/**
 * JSON with object keys sorted, so the same body sent twice fingerprints the same. A loop over a
 * stack of steps, not recursion: a 64 KiB body can nest 30 000 levels deep, far past the call
 * stack, and one nested deeper than any real body is a 400.
 */
function canonicalJson(root: unknown): string {
  const parts: string[] = [];
  const steps: CanonicalStep[] = [{ value: root, depth: 0 }];
  for (let step = steps.pop(); step !== undefined; step = steps.pop()) {
    if ('text' in step) {
      parts.push(step.text);
      continue;
    }
    const { value, depth } = step;
    if (value === null || typeof value !== 'object') {
      parts.push(JSON.stringify(value) ?? '');
      continue;
    }
    if (depth >= MAX_FINGERPRINT_DEPTH) throw badRequest(`Body nested deeper than ${MAX_FINGERPRINT_DEPTH} levels`, 'body');
    // Pushed in reverse: the stack gives them back in order.
    if (Array.isArray(value)) {
      steps.push({ text: ']' });
      for (let index = value.length - 1; index >= 0; index--) {
        steps.push({ value: value[index], depth: depth + 1 });
        if (index > 0) steps.push({ text: ',' });
      }
      steps.push({ text: '[' });
    } else {
      const keys = Object.keys(value).sort();
      steps.push({ text: '}' });
      for (let index = keys.length - 1; index >= 0; index--) {
        const key = keys[index] as string;
        steps.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1 });
        steps.push({ text: `${index > 0 ? ',' : ''}${JSON.stringify(key)}:` });
      }
      steps.push({ text: '{' });
    }
  }
  return parts.join('');
}

async function toAnswer(response: Response): Promise<Answer> {
  return { status: response.status, headers: [...response.headers], body: new Uint8Array(await response.arrayBuffer()) };
}

function toResponse(answer: Answer, replayed: boolean): Response {
  const headers = new Headers(answer.headers);
  if (replayed) headers.set(REPLAY_HEADER, 'true');
  return new Response(answer.status === 204 || answer.status === 304 ? null : answer.body.slice(), { status: answer.status, headers });
}

/**
 * Answers kept in memory per caller and key. Not written to disk on purpose: answers can hold
 * secrets (a new API token), and a restart within a retry window is rare.
 */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly maxBodyBytes: number;
  private readonly now: () => number;

  constructor(options: IdempotencyOptions = {}) {
    this.ttlMs = options.ttlMs ?? 24 * 3600_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.now = options.now ?? Date.now;
  }

  /**
   * Runs `work` once per (caller's token, key, request); without a key, on GET or without a
   * caller, just runs it. Answers are kept under a digest of the token, not the device's name: a
   * name is free again once its device is deleted, and a new device given it must not be handed
   * the old one's answers (a recovery phrase, a new token).
   */
  handle(request: Request, callerToken: string | null, work: () => Response | Promise<Response>): Response | Promise<Response> {
    // Not async: most requests carry no key, and they get `work`'s answer without another promise.
    if (callerToken === null || !MUTATING_METHODS.has(request.method)) return work();
    const key = request.headers.get(IDEMPOTENCY_HEADER);
    return key === null ? work() : this.handleKeyed(request, callerToken, key, work);
  }

  private async handleKeyed(request: Request, callerToken: string, key: string, work: () => Response | Promise<Response>): Promise<Response> {
    if (!VALID_KEY.test(key)) throw badRequest('Idempotency-Key must be 1 to 255 visible ASCII characters', IDEMPOTENCY_HEADER);

    const fingerprint = await this.fingerprint(request);
    // The digest, not the token: the map holds no secret that could outlive the token's revocation.
    const slot = `${hash('sha256', callerToken)}\u0000${key}`;
    const existing = this.liveEntry(slot);
    if (existing !== undefined) {
      if (existing.fingerprint !== fingerprint) {
        throw new HttpError(422, { error: 'Idempotency-Key was already used for a different request', field: IDEMPOTENCY_HEADER });
      }
      return toResponse(await existing.answer, true);
    }

    const answer = this.run(work);
    const entry: Entry = { fingerprint, createdAt: this.now(), answer };
    this.makeRoom();
    this.entries.set(slot, entry);
    const forget = (): void => {
      if (this.entries.get(slot) === entry) this.entries.delete(slot);
    };
    let settled: Answer;
    try {
      settled = await answer;
    } catch (error) {
      forget();
      throw error;
    }
    // A server fault may be passing: a retry with the same key should try again.
    if (settled.status >= 500 || settled.body.byteLength > this.maxBodyBytes) forget();
    return toResponse(settled, false);
  }

  /** Kept answers (tests check the bound). */
  size(): number {
    return this.entries.size;
  }

  private async run(work: () => Response | Promise<Response>): Promise<Answer> {
    try {
      return await toAnswer(await work());
    } catch (error) {
      // A refusal is an answer like any other; anything else is the runtime's to report.
      if (error instanceof HttpError) return toAnswer(json(error.body, error.status, error.headers));
      throw error;
    }
  }

  private async fingerprint(request: Request): Promise<string> {
    const url = new URL(request.url);
    const body = await readJsonBody(request);
    return createHash('sha256').update(`${request.method} ${url.pathname}${url.search}\n${canonicalJson(body)}`).digest('hex');
  }

  private liveEntry(slot: string): Entry | undefined {
    const entry = this.entries.get(slot);
    if (entry === undefined) return undefined;
    if (this.now() - entry.createdAt < this.ttlMs) return entry;
    this.entries.delete(slot);
    return undefined;
  }

  /** Drops expired answers, then the oldest ones while the store is full (Map order is insertion order). */
  private makeRoom(): void {
    const now = this.now();
    for (const [slot, entry] of this.entries) {
      if (now - entry.createdAt < this.ttlMs) break;
      this.entries.delete(slot);
    }
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
