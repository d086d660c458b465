// What an operation tells the audit log in words ("reset link created for alice by device phone").
//
// The runtime writes one audit line per request that changes something (runtime/request-guard.ts);
// an operation whose change deserves naming beyond its path and status adds a sentence to its ctx,
// and the line carries it as `events`. A sentence never holds a secret: only names.
import type { Ctx } from './context.js';

/** Adds a sentence to the audit line of the request `ctx` belongs to. */
export function noteAuditEvent(ctx: Pick<Ctx, 'audit'>, sentence: string): void {
  const notes = ctx.audit;
  if (notes.auditEvents === undefined) notes.auditEvents = [sentence];
  else notes.auditEvents.push(sentence);
}
