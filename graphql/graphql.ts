// GET/POST /graphql: the GraphQL dialect of today's SelfPrivacy app over the same functions as REST.
import { z } from 'zod';
import { authenticate } from '../runtime/auth.js';
import { METHODS_WITH_BODY, readJsonBody } from '../kit/body.js';
import { functionCtx, type Caller, type Ctx } from '../kit/context.js';
import { HttpError } from '../core/errors.js';
import { noteCaller } from '../runtime/request-notes.js';
import { BODY_RESPONSES, ErrorBody } from '../kit/response-schemas.js';

const GraphqlAnswer = z.object({ data: z.unknown().optional(), errors: z.array(z.object({ message: z.string() }).loose()).optional() });

export const responses = {
  200: { description: 'The result: `data`, and `errors` for a bad query or a failed field', schema: GraphqlAnswer },
  400: { description: 'Malformed JSON body, or a request that is not GraphQL (`errors`)', schema: z.union([ErrorBody, GraphqlAnswer]) },
  401: { description: 'No valid bearer token, for anything but `api { version }` and the two login mutations (`errors`)', schema: GraphqlAnswer },
  405: { description: 'A mutation sent with GET', schema: GraphqlAnswer },
  406: { description: 'An Accept header that allows neither JSON nor GraphQL response JSON' },
  413: BODY_RESPONSES[413],
  415: { description: 'A POST body that is not JSON', schema: GraphqlAnswer },
};

// graphql and the schema load on the first /graphql request, not at every start of the server.
let engine: Promise<typeof import('./http-handler.js')> | undefined;

/**
 * The route is public in routes.json because two login mutations and `api { version }` need no
 * token; the token is checked here with the runtime's own authenticate, and the engine refuses
 * everything else without a valid one (401, as REST).
 */
export default async function graphqlEndpoint(request: Request, ctx: Ctx): Promise<Response> {
  let caller: Caller | null = null;
  let refusal: HttpError | null = null;
  try {
    caller = authenticate(request, ctx.store.tokens.read());
    noteCaller(request, caller.name);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    refusal = error;
  }
  const body = METHODS_WITH_BODY.has(request.method) ? await readJsonBody(request) : undefined;
  engine ??= import('./http-handler.js');
  const { serveGraphql } = await engine;
  return serveGraphql({ request, ctx: functionCtx(ctx, caller, ctx.params), refusal, body });
}

/** The same path takes WebSocket upgrades for subscriptions (jobUpdates, logEntries). */
export { graphqlSocket as socket } from './socket.js';
