// What a function unit tells the pipeline about a request beyond its status: a failed login, what to audit.

/** One mutation field that ran, and its outcome's code (the HTTP status its REST twin answers). */
export interface AuditedField {
  field: string;
  code: number;
}

/** Audit detail for a route whose function decides what is audited (GraphQL: mutations, not queries). */
export interface AuditDetail {
  /** The operation's name as the client gave it, null when it gave none. */
  operation: string | null;
  fields: AuditedField[];
}

const failedLogins = new WeakSet<Request>();
const auditDetails = new WeakMap<Request, AuditDetail>();

/** A secret in the request was wrong (a mnemonic in a GraphQL login mutation): the brute-force limiter counts it. */
export function noteFailedLogin(request: Request): void {
  failedLogins.add(request);
}

export function failedLoginNoted(request: Request): boolean {
  return failedLogins.has(request);
}

/** The request changed things (or tried to): the guard writes an audit line with this detail. */
export function noteAudit(request: Request, detail: AuditDetail): void {
  auditDetails.set(request, detail);
}

export function auditNoted(request: Request): AuditDetail | undefined {
  return auditDetails.get(request);
}

const callers = new WeakMap<Request, string>();

/** A public route's function found a valid token itself: the log and audit lines name its device. */
export function noteCaller(request: Request, tokenName: string): void {
  callers.set(request, tokenName);
}

export function callerNoted(request: Request): string | undefined {
  return callers.get(request);
}
