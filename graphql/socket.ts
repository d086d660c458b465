// The WebSocket side of /graphql: graphql-ws (graphql-transport-ws) on ws, subscriptions for token holders only.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import { MAX_BODY_BYTES } from '../kit/body.js';
import type { Caller, SocketEndpoint, SocketSession } from '../kit/context.js';
import type { ResolverContext } from './area.js';

/** What the app puts in connection_init: `{"Authorization": "Bearer <token>"}`. */
type InitPayload = Record<string, unknown>;

interface Connection {
  session: SocketSession;
  caller?: Caller;
}

const connections = new WeakMap<IncomingMessage, Connection>();

interface Engine {
  wss: WebSocketServer;
  dispose(): Promise<void>;
}

const SUBSCRIPTIONS_ONLY = 'Only subscriptions are served over the WebSocket; send queries and mutations with POST /graphql';

// ws, graphql-ws and the schema load with the first connection, not at every start of the server.
async function startEngine(): Promise<Engine> {
  const [{ WebSocketServer }, { useServer }, { GraphQLError, getOperationAST, parse }, { graphqlSchema }] = await Promise.all([
    import('ws'),
    import('graphql-ws/use/ws'),
    import('graphql'),
    import('./schema.js'),
  ]);
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY_BYTES });
  const server = useServer<InitPayload>(
    {
      schema: graphqlSchema(),
      // No valid token in connection_init: false closes the socket with 4403 before any data.
      onConnect: ({ extra, connectionParams }) => {
        const connection = connections.get(extra.request);
        if (connection === undefined) return false;
        const authorization = connectionParams?.Authorization ?? connectionParams?.authorization;
        const caller = connection.session.authenticate(authorization);
        if (caller === null) return false;
        connection.caller = caller;
        return true;
      },
      // Mutations over the socket would skip the request pipeline (its audit line, its limits).
      onSubscribe: (_context, _id, payload) => {
        let operation;
        try {
          operation = getOperationAST(parse(payload.query), payload.operationName)?.operation;
        } catch {
          return undefined; // graphql-ws answers the syntax error itself
        }
        if (operation !== undefined && operation !== 'subscription') return [new GraphQLError(SUBSCRIPTIONS_ONLY)];
        return undefined;
      },
      context: ({ extra }): ResolverContext => {
        const connection = connections.get(extra.request) as Required<Connection>;
        return { ctx: connection.session.context(connection.caller), request: new Request('http://localhost/graphql') };
      },
    },
    wss,
  );
  return { wss, dispose: async () => server.dispose() };
}

let engine: Promise<Engine> | undefined;

export const graphqlSocket: SocketEndpoint = {
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, session: SocketSession) {
    // A client gone before the engine is ready must not become an unhandled error.
    const forget = (): void => undefined;
    socket.on('error', forget);
    engine ??= startEngine();
    engine.then(
      ({ wss }) => {
        socket.off('error', forget);
        connections.set(request, { session });
        wss.handleUpgrade(request, socket, head, (webSocket) => wss.emit('connection', webSocket, request));
      },
      () => socket.destroy(),
    );
  },
  async close() {
    if (engine === undefined) return;
    await (await engine).dispose();
    engine = undefined;
  },
};
