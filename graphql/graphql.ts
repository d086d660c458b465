// The GraphQL transport: /graphql over HTTP and WebSocket, mounted by the shell beside the REST router.
import { z } from 'zod';
import type { DescribedRoute } from '../kit/context.js';
import type { SocketEndpoint, Transport } from '../kit/transport.js';
import { LIMITER_RESPONSES } from '../kit/response-schemas.js';
import { MAX_BODY_BYTES } from '../kit/body.js';
import { json } from '../kit/respond.js';

export const GRAPHQL_PATH = '/graphql';

const GraphqlAnswer = z.object({ data: z.unknown().optional(), errors: z.array(z.object({ message: z.string() }).loose()).optional() });

const responses = {
  200: { description: 'The result: `data`, and `errors` for a bad query, a document over its limits or a failed field', schema: GraphqlAnswer },
  400: { description: 'Malformed JSON body, or a request that is not GraphQL (`errors`)', schema: GraphqlAnswer },
  401: { description: 'No valid bearer token, for anything but `api { version }` and the two login mutations (`errors`)', schema: GraphqlAnswer },
  405: { description: 'A mutation sent with GET', schema: GraphqlAnswer },
  406: { description: 'An Accept header that allows neither JSON nor GraphQL response JSON' },
  413: { description: `Request body larger than ${MAX_BODY_BYTES / 1024} KiB (\`errors\`)`, schema: GraphqlAnswer },
  415: { description: 'A POST body that is not JSON', schema: GraphqlAnswer },
  429: { description: `${LIMITER_RESPONSES[429].description} (\`errors\`); never for a valid token`, schema: GraphqlAnswer },
};

/** /graphql in the API's description: GET for queries, POST for queries and mutations. */
const described: DescribedRoute[] = [
  {
    method: 'GET',
    path: GRAPHQL_PATH,
    public: true,
    mutates: false,
    tag: 'graphql',
    summary: 'GraphQL query (the dialect of today\'s app; the transport checks the token first)',
    module: { responses },
  },
  {
    method: 'POST',
    path: GRAPHQL_PATH,
    public: true,
    mutates: false,
    tag: 'graphql',
    summary: 'GraphQL query or mutation (the dialect of today\'s app; the transport checks the token first and audits each mutation field)',
    module: { responses },
  },
];

/**
 * The transport. graphql, ws and the schema load on the first request or connection, not at every
 * start of the server; this module only says where they are.
 */
export function createGraphqlTransport(): Transport {
  let http: Promise<typeof import('./http-handler.js')> | undefined;
  let socket: Promise<SocketEndpoint> | undefined;
  const socketEndpoint = (): Promise<SocketEndpoint> => (socket ??= import('./socket.js').then(({ createGraphqlSocket }) => createGraphqlSocket()));
  return {
    path: GRAPHQL_PATH,
    described,
    async fetch(request, exchange) {
      http ??= import('./http-handler.js');
      return (await http).serveGraphql(request, exchange);
    },
    // GraphQL answers a failed request with `errors`, and a server-side failure as a result with
    // errors (as a failed field is), never as a 5xx the app would take for the server being down.
    failure(status, message, headers) {
      return json({ errors: [{ message }] }, status >= 500 ? 200 : status, status >= 500 ? {} : headers);
    },
    socket: {
      upgrade(request, connection, head, session) {
        // A client gone before the engine is ready must not become an unhandled error.
        const forget = (): void => undefined;
        connection.on('error', forget);
        socketEndpoint().then(
          (endpoint) => {
            connection.off('error', forget);
            endpoint.upgrade(request, connection, head, session);
          },
          () => connection.destroy(),
        );
      },
      async close() {
        if (socket === undefined) return;
        await (await socket).close();
      },
    },
  };
}
