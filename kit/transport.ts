// What the shell hands a transport it mounts beside the REST router (GraphQL), and what it reads back.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { HttpError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import type { AuditNotes, Caller, Ctx, DescribedRoute, Services } from './context.js';

/** One mutation field that ran, under its field name (never the client's alias), and its outcome's code. */
export interface AuditedField {
  field: string;
  code: number;
}

/** What the audit line of a request says beyond its status, when its transport decides what is a change. */
export interface AuditDetail {
  /** The operation's name as the client gave it, null when it gave none. */
  operation: string | null;
  fields: AuditedField[];
}

/**
 * The facts of one request, kept by the shell in one object from the first byte to the log line.
 * The shell fills in who asked; a transport adds what the guard and the audit must know (a change
 * and its detail, the login guesses it charged); an operation adds its audit sentences through its
 * ctx, whose `audit` is this object. Nothing about a request lives anywhere else.
 */
export interface RequestState extends AuditNotes {
  requestId: string;
  socketAddress: string | undefined;
  clientAddress: string;
  /** The device whose token was valid, for the log and audit lines. */
  callerName?: string;
  /** Set by a transport when the request changed (or tried to change) something: audited as a change. */
  audit?: AuditDetail;
  /** Guesses at a login secret charged to the client before the request ran. */
  loginGuesses: number;
  /** Of those, the ones that were right (a login that worked): given back when the request ends. */
  rightLoginGuesses: number;
}

/** What the shell's guard does for a transport, on the request's state. */
export interface TransportGate {
  /**
   * The caller of the request's `Authorization` header, or why there is none: the 401 (no header,
   * a malformed or unknown token), or 429 for a wrong token from a client the limiter blocks.
   */
  authenticate(request: Request): Caller | HttpError;
  /**
   * Charges `count` login guesses to the client before they run, so concurrent requests cannot
   * overrun the limit; null when charged, else the 429 to answer (nothing charged then).
   */
  chargeLoginGuesses(state: RequestState, count: number): HttpError | null;
}

/** One request handed to a transport. */
export interface TransportExchange {
  services: Services;
  /** The store as this request sees it: one read of each file for the whole request (store/request-store.ts). */
  store: Store;
  state: RequestState;
  gate: TransportGate;
}

/** What the shell gives a WebSocket connection (see runtime/socket-session.ts). */
export interface SocketSession {
  /** The client, as for a request (the peer, or nginx's X-Forwarded-For when the peer is loopback). */
  clientAddress: string;
  /**
   * Checks an `Authorization` value ("Bearer <token>") as a request's header is checked: the caller,
   * or null. A wrong token is counted by the brute-force limiter and audited like a refused request;
   * a client over the limit gets null for a wrong token, never for a valid one.
   */
  authenticate(authorization: unknown): Caller | null;
  /** Whether `token` still belongs to a device (a socket re-checks its token on every subscribe). */
  stillValid(token: string): boolean;
  /** The ctx for one of the connection's operations, as a request of this caller would get it, on its `state`. */
  context(caller: Caller, state: RequestState): Ctx;
  /** A per-operation state object, as a request would have (the audit never sees socket operations). */
  state(): RequestState;
}

/** The WebSocket side of a transport, at its path. */
export interface SocketEndpoint {
  /** Takes over an HTTP upgrade request. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, session: SocketSession): void;
  /** Closes every open connection (shutdown). */
  close(): Promise<void>;
}

/** A transport the shell mounts at one path beside the REST router. */
export interface Transport {
  path: string;
  /** Answers a request to `path` (any method); every answer is the transport's own, in its own dialect. */
  fetch(request: Request, exchange: TransportExchange): Promise<Response>;
  socket: SocketEndpoint;
  /**
   * A failure of the shell's around a request to `path` (its time limit, an unexpected fault), in
   * the transport's dialect: `message` as the shell would say it, with the shell's status and headers.
   */
  failure(status: number, message: string, headers: Record<string, string>): Response;
  /** Its entries of the API's description (OpenAPI, the endpoint list). */
  described: readonly DescribedRoute[];
}

/** A fresh state for a request the shell starts. */
export function newRequestState(requestId: string, socketAddress: string | undefined, clientAddress: string): RequestState {
  return { requestId, socketAddress, clientAddress, loginGuesses: 0, rightLoginGuesses: 0 };
}
