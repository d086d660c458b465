// GraphQL over HTTP at /graphql: the token gate, the cost limits, graphql-http on our schema, the audit detail.
import { Response } from '@whatwg-node/fetch';
import { GraphQLError, getOperationAST, validate, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { createHandler, type OperationArgs, type RequestHeaders, type Response as GraphqlHttpResponse } from 'graphql-http';
import { functionCtx, type Caller } from '../kit/context.js';
import { HttpError } from '../core/errors.js';
import { json, jsonResponse } from '../kit/respond.js';
import type { AuditedField, TransportExchange } from '../kit/transport.js';
import type { ResolverContext } from './area.js';
import { executeOperation } from './compiled-execution.js';
import { cachedValidate } from './document-cache.js';
import { MAX_MUTATION_FIELDS, STRANGER_LIMITS, TOKEN_HOLDER_LIMITS } from './document-cost.js';
import { parseWithinLimits } from './limited-parse.js';
import { isPublicOperation, loginGuessCount } from './public-operations.js';
import { readGraphqlBody } from './request-body.js';
import { graphqlSchema } from './schema.js';
import { fragmentsOf, mutationFields, type ChangingField } from './selected-fields.js';

/** What graphql-http carries for one request: the exchange and what the gate found. */
interface GraphqlCall {
  request: Request;
  exchange: TransportExchange;
  /** The caller of a valid token; null for a stranger. */
  caller: Caller | null;
  /** Why there is no caller (no header, a wrong token). */
  refusal: HttpError | null;
  /** A mutation's fields, found once before it runs (for the cap) and read again for the audit. */
  mutationFields?: ChangingField[];
}

/** An answer in the GraphQL dialect: `{"errors": [{"message"}]}` with an HTTP status. */
function graphqlErrorAnswer(status: number, message: string, headers: Record<string, string> = {}): Response {
  return json({ errors: [{ message }] }, status, headers);
}

/** A refused token (401, or 429 for a client the limiter blocks): REST's status, message and headers, GraphQL's shape. */
function refusal(error: HttpError | null): { status: number; body: object; headers: Record<string, string> } {
  const rest = error?.body as { error?: unknown } | undefined;
  const message = typeof rest?.error === 'string' ? rest.error : 'Invalid token';
  const status = error?.status ?? 401;
  const code = status === 429 ? 'TOO_MANY_REQUESTS' : 'UNAUTHENTICATED';
  return { status, body: { errors: [{ message, extensions: { code } }] }, headers: error?.headers ?? {} };
}

function refusedAnswer(error: HttpError | null): Response {
  const { status, body, headers } = refusal(error);
  return json(body, status, headers);
}

/** The same refusal, as graphql-http's answer. */
function refusedHttpAnswer(error: HttpError | null): GraphqlHttpResponse {
  const { status, body, headers } = refusal(error);
  return [JSON.stringify(body), { status, statusText: '', headers: { 'content-type': 'application/json; charset=utf-8', ...headers } }];
}

/** Each mutation field that ran, under its field name, and its outcome's code (the status of its REST twin). */
function mutationOutcomes(changing: readonly ChangingField[], result: ExecutionResult): AuditedField[] {
  const data = (result.data ?? {}) as Record<string, unknown>;
  const seen = new Set<string>();
  const fields: AuditedField[] = [];
  for (const field of changing) {
    // Selections under one response key were merged into one run: one line entry.
    const where = field.responsePath.join('\u0000');
    if (seen.has(where)) continue;
    seen.add(where);
    let value: unknown = data;
    for (const key of field.responsePath) value = (value as Record<string, unknown> | null | undefined)?.[key];
    const code = (value as { code?: unknown } | null | undefined)?.code;
    // A field that failed (an error) or gave no code: still an entry, so every attempt is on record.
    fields.push({ field: field.name, code: typeof code === 'number' ? code : result.errors === undefined ? 200 : 500 });
  }
  return fields;
}

/**
 * Everything before execution, for one request: the gate (a stranger may run the public
 * operations only, parsed with a small token cap and never cached), the cost limits, validation,
 * the cap on mutation fields and the charge for login guesses. graphql-http then runs the
 * arguments returned, or answers the errors or the response.
 */
function prepare(call: GraphqlCall, params: { query: string; operationName?: string | null; variables?: Record<string, unknown> | null }): ExecutionArgs | readonly GraphQLError[] | GraphqlHttpResponse {
  const stranger = call.caller === null;
  const schema = graphqlSchema();
  const parsed = parseWithinLimits(params.query, stranger ? STRANGER_LIMITS : TOKEN_HOLDER_LIMITS, !stranger);
  // Over a limit or not GraphQL: an error, for a stranger too (nothing was kept, little was read).
  if (Array.isArray(parsed)) return parsed;
  const document = parsed as DocumentNode;
  if (stranger && !isPublicOperation(document, params.operationName)) return refusedHttpAnswer(call.refusal);
  const errors = stranger ? validate(schema, document) : cachedValidate(schema, document);
  if (errors.length > 0) return errors;
  const operation = getOperationAST(document, params.operationName);
  if (operation?.operation === 'mutation') {
    call.mutationFields = mutationFields(schema, operation.selectionSet, fragmentsOf(document));
    if (call.mutationFields.length > MAX_MUTATION_FIELDS) return [new GraphQLError(`At most ${MAX_MUTATION_FIELDS} mutation fields in one request`)];
  }
  if (operation?.operation === 'mutation' && call.request.method === 'GET') {
    // graphql-http says so too, but only after this: no login guess is charged for a request that runs nothing.
    return [JSON.stringify({ errors: [{ message: 'Cannot perform mutations over GET' }] }), { status: 405, statusText: '', headers: { 'content-type': 'application/json; charset=utf-8', allow: 'POST' } }];
  }
  if (stranger) {
    // Charged before they run: concurrent requests cannot all pass a check none has failed yet.
    const refused = call.exchange.gate.chargeLoginGuesses(call.exchange.state, loginGuessCount(document, params.operationName));
    if (refused !== null) return refusedHttpAnswer(refused);
  }
  const contextValue: ResolverContext = {
    ctx: functionCtx(call.exchange.services, call.caller, {}, call.exchange.state, call.exchange.store),
    request: call.request,
    state: call.exchange.state,
  };
  return { schema, document, operationName: params.operationName, variableValues: params.variables, contextValue };
}

/**
 * A result without errors as the answer itself: graphql-http serialises with a replacer function
 * (for errors), which made JSON.stringify the largest cost of a big answer. Only for clients that
 * take application/json (the app does); anything else goes graphql-http's way.
 */
function plainAnswer(accept: string | null | undefined, result: ExecutionResult): GraphqlHttpResponse | undefined {
  if (Symbol.asyncIterator in result || result.errors !== undefined) return undefined;
  if (accept !== null && accept !== undefined && accept !== '' && !/application\/json|\*\/\*|application\/\*/.test(accept)) return undefined;
  return [JSON.stringify(result), { status: 200, statusText: 'OK', headers: { 'content-type': 'application/json; charset=utf-8' } }];
}

// graphql-http wants an open record as the context type; ours is a fixed shape.
type OpenContext = ResolverContext & Record<PropertyKey, unknown>;

const handle = createHandler<unknown, GraphqlCall, OpenContext>({
  execute: executeOperation,
  onSubscribe: (req, params) => prepare(req.context, params) as OperationArgs<OpenContext> | readonly GraphQLError[] | GraphqlHttpResponse,
  onOperation: (req, args, result) => {
    const operation = getOperationAST(args.document, args.operationName);
    if (operation?.operation === 'mutation' && 'data' in result) {
      // The name in the document when the request did not repeat it as operationName; audited as a change.
      const name = args.operationName ?? operation.name?.value ?? null;
      req.context.exchange.state.audit = { operation: name, fields: mutationOutcomes(req.context.mutationFields ?? [], result) };
    }
    return plainAnswer(req.context.request.headers.get('accept'), result);
  },
  formatError: (error) => {
    // A resolver's unexpected fault: logged for the admin, answered without details (never a stack or a path).
    // Errors without a path are the client's input (a variable's value, a literal) and keep their message.
    if (error instanceof GraphQLError && error.path !== undefined && error.originalError !== undefined && !(error.originalError instanceof GraphQLError)) {
      return new GraphQLError('Internal server error', { nodes: error.nodes, path: error.path });
    }
    return error;
  },
});

function headersOf(request: Request): RequestHeaders {
  return { get: (name: string) => request.headers.get(name) };
}

/** The length of a GET request's GraphQL text, to refuse a stranger's long one before it is parsed. */
function queryParameterBytes(request: Request): number {
  const search = request.url.indexOf('?');
  return search < 0 ? 0 : request.url.length - search;
}

/** Answers one /graphql request; any GraphQL problem is a 200/400/401/405/413/429 with `errors`, never a 5xx. */
export async function serveGraphql(request: Request, exchange: TransportExchange): Promise<Response> {
  // The token first: what a request may cost (and whether its document is kept) depends on it.
  const checked = exchange.gate.authenticate(request);
  const caller = checked instanceof HttpError ? null : checked;
  const refusal = checked instanceof HttpError ? checked : null;
  // A wrong token from a client the limiter blocks: nothing more is read.
  if (refusal !== null && refusal.status === 429) return refusedAnswer(refusal);
  const limits = caller === null ? STRANGER_LIMITS : TOKEN_HOLDER_LIMITS;
  let body: unknown = null;
  if (request.method === 'POST') {
    const read = await readGraphqlBody(request, limits.maxBytes);
    if (!read.ok && read.problem === 'malformed') return graphqlErrorAnswer(400, 'Malformed JSON body');
    if (!read.ok) {
      // More than any public operation needs: a stranger gets the refusal, a token holder the limit.
      return caller === null ? refusedAnswer(refusal) : graphqlErrorAnswer(413, `Request body larger than ${limits.maxBytes} bytes`);
    }
    body = read.value;
  } else if (caller === null && queryParameterBytes(request) > limits.maxBytes * 3) {
    // Percent-encoding makes a text up to three times longer; the decoded text is checked again later.
    return refusedAnswer(refusal);
  }
  const call: GraphqlCall = { request, exchange, caller, refusal };
  let answer: GraphqlHttpResponse[0];
  let init: GraphqlHttpResponse[1];
  try {
    [answer, init] = await handle({
      method: request.method,
      url: request.url,
      headers: headersOf(request),
      body: body as Record<string, unknown> | null,
      raw: undefined,
      context: call,
    });
  } catch (error) {
    // A fault of ours, not of the request: logged for the admin, answered as GraphQL answers a failed field.
    exchange.services.log.error('graphql handler fault', { errorMessage: (error as Error).message });
    return graphqlErrorAnswer(200, 'Internal server error');
  }
  if (typeof answer !== 'string') {
    // graphql-http refuses a method, an Accept or a Content-Type without a body: said in GraphQL's words too.
    if (answer === null && init.status >= 400) return graphqlErrorAnswer(init.status, init.statusText, (init.headers ?? {}) as Record<string, string>);
    return new Response(answer, { status: init.status, statusText: init.statusText, headers: init.headers });
  }
  // As bytes with every header up front, as REST answers are (the adapter writes them as they are).
  return jsonResponse(Buffer.from(answer, 'utf8'), init.status, init.headers);
}
