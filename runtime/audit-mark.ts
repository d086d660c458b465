// The per-request audit hook: one request of a route not marked `mutates` is audited as a change.
//
// routes.json's `mutates` flag audits every request of a route. Some routes are sometimes a change
// and sometimes a read: POST /graphql runs queries and mutations alike. Such a route says
// `"mutates": false` and its handler marks the requests that change something; the request guard
// then writes their audit line exactly as for a route marked `mutates` (runtime/request-guard.ts).
//
// @example
//   // in the GraphQL transport, once the operation is known and before it runs
//   if (operation.operation === 'mutation') auditAsChange(request);

const markedRequests = new WeakSet<Request>();

/** Writes this request to the audit log when it ends, as a change, whatever its route says. */
export function auditAsChange(request: Request): void {
  markedRequests.add(request);
}

/** Whether a handler marked this request with auditAsChange. */
export function isAuditedAsChange(request: Request): boolean {
  return markedRequests.has(request);
}
