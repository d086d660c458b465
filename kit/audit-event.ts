// What an operation tells the audit log in words ("reset link created for alice by device phone").
//
// The runtime writes one audit line per request that changes something (runtime/request-guard.ts);
// an operation whose change deserves naming beyond its path and status adds a sentence here, and
// the line carries it as `events`. A sentence never holds a secret: only names.

const events = new WeakMap<Request, string[]>();

/** Adds a sentence to the audit line of this request. */
export function noteAuditEvent(request: Request, sentence: string): void {
  const noted = events.get(request);
  if (noted === undefined) events.set(request, [sentence]);
  else noted.push(sentence);
}

/** The sentences noted for this request, in order; undefined when none. */
export function auditEventsOf(request: Request): readonly string[] | undefined {
  return events.get(request);
}
