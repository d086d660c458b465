// The WebSocket side of /graphql: graphql-ws (graphql-transport-ws) on ws, subscriptions for token holders only.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, getOperationAST, type ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_BODY_BYTES } from '../kit/body.js';
import type { Caller } from '../kit/context.js';
import type { SocketEndpoint, SocketSession } from '../kit/transport.js';
import type { ResolverContext } from './area.js';
import { cachedValidate } from './document-cache.js';
import { TOKEN_HOLDER_LIMITS } from './document-cost.js';
import { parseWithinLimits } from './limited-parse.js';
import { graphqlSchema } from './schema.js';

/** What the app puts in connection_init: `{"Authorization": "Bearer <token>"}`. */
type InitPayload = Record<string, unknown>;

/** Open sockets one token may hold at once (the app holds one). */
export const MAX_SOCKETS_PER_TOKEN = 8;
/** Subscriptions one socket may run at once (the app runs a few). */
export const MAX_SUBSCRIPTIONS_PER_SOCKET = 16;
/** How often open sockets' tokens are looked up again: a socket ends within this of its token's end. */
export const TOKEN_RECHECK_MS = 250;

/** graphql-ws's close code for a refused connection; the app treats it as a token that is no more. */
const FORBIDDEN = 4403;
/** A close code of our own (4400–4499 are the application's): this token holds too many sockets. */
const TOO_MANY_SOCKETS = 4429;

const SUBSCRIPTIONS_ONLY = 'Only subscriptions are served over the WebSocket; send queries and mutations with POST /graphql';

interface Connection {
  session: SocketSession;
  request: IncomingMessage;
  caller?: Caller;
}

/** The subscription's execution arguments, or the errors to send: the same limits and validation as POST. */
function subscriptionArgs(payload: { query: string; operationName?: string | null; variables?: Record<string, unknown> | null }, contextValue: ResolverContext): ExecutionArgs | GraphQLError[] {
  const schema = graphqlSchema();
  const document = parseWithinLimits(payload.query, TOKEN_HOLDER_LIMITS, true);
  if (Array.isArray(document)) return document;
  const errors = cachedValidate(schema, document);
  if (errors.length > 0) return [...errors];
  // Mutations over the socket would skip the request pipeline (its audit line, its limits).
  if (getOperationAST(document, payload.operationName)?.operation !== 'subscription') return [new GraphQLError(SUBSCRIPTIONS_ONLY)];
  return { schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue };
}

/** The engine: ws and graphql-ws on our schema, and the watch over every open socket's token. */
export function createGraphqlSocket(): SocketEndpoint {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY_BYTES });
  // Known from the upgrade until the socket closes; keyed by the socket graphql-ws hands every hook.
  const pending = new WeakMap<IncomingMessage, Connection>();
  const open = new Map<WebSocket, Connection>();
  const socketsPerToken = new Map<string, number>();

  const forget = (socket: WebSocket): void => {
    const connection = open.get(socket);
    open.delete(socket);
    const token = connection?.caller?.token;
    if (token === undefined) return;
    const left = (socketsPerToken.get(token) ?? 1) - 1;
    if (left <= 0) socketsPerToken.delete(token);
    else socketsPerToken.set(token, left);
  };

  // A token deleted, refreshed or replaced by a restore ends its sockets within TOKEN_RECHECK_MS.
  const watch = setInterval(() => {
    for (const [socket, connection] of open) {
      const token = connection.caller?.token;
      let valid: boolean;
      try {
        valid = token === undefined || connection.session.stillValid(token);
      } catch {
        // tokens.json unreadable this moment (requests are refused meanwhile): asked again next round,
        // rather than ending sockets the app would take for logged out. A throw here would end the process.
        continue;
      }
      if (!valid) {
        forget(socket);
        socket.close(FORBIDDEN, 'Forbidden');
      }
    }
  }, TOKEN_RECHECK_MS);
  watch.unref();

  const server = useServer<InitPayload>(
    {
      schema: graphqlSchema(),
      // No valid token in connection_init: false closes the socket with 4403 before any data.
      onConnect: ({ extra, connectionParams }) => {
        const connection = pending.get(extra.request);
        if (connection === undefined) return false;
        const authorization = connectionParams?.Authorization ?? connectionParams?.authorization;
        const caller = connection.session.authenticate(authorization);
        if (caller === null) return false;
        const held = socketsPerToken.get(caller.token) ?? 0;
        if (held >= MAX_SOCKETS_PER_TOKEN) {
          extra.socket.close(TOO_MANY_SOCKETS, 'Too many sockets for this token');
          return false;
        }
        socketsPerToken.set(caller.token, held + 1);
        connection.caller = caller;
        open.set(extra.socket, connection);
        return true;
      },
      onClose: ({ extra }) => forget(extra.socket),
      onSubscribe: (context, _id, payload) => {
        const connection = open.get(context.extra.socket);
        // Every subscribe looks the token up again: a revoked device starts nothing more.
        if (connection?.caller === undefined || !connection.session.stillValid(connection.caller.token)) {
          forget(context.extra.socket);
          context.extra.socket.close(FORBIDDEN, 'Forbidden');
          return [new GraphQLError('Forbidden')];
        }
        // graphql-ws has put this one in already.
        if (Object.keys(context.subscriptions).length > MAX_SUBSCRIPTIONS_PER_SOCKET) {
          return [new GraphQLError(`At most ${MAX_SUBSCRIPTIONS_PER_SOCKET} subscriptions on one socket`)];
        }
        const { session, caller } = connection;
        const state = session.state();
        return subscriptionArgs(payload, { ctx: session.context(caller, state), request: new Request('http://localhost/graphql'), state });
      },
    },
    wss,
  );

  return {
    upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, session: SocketSession) {
      pending.set(request, { session, request });
      wss.handleUpgrade(request, socket, head, (webSocket) => wss.emit('connection', webSocket, request));
    },
    async close() {
      clearInterval(watch);
      await server.dispose();
    },
  };
}
