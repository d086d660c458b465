// The GraphQL-over-HTTP engine behind /graphql: graphql-http on our schema, the token gate, audit notes.
import { Response } from '@whatwg-node/fetch';
import { GraphQLError, Kind, getOperationAST, type ExecutionResult, type OperationDefinitionNode } from 'graphql';
import { createHandler, type RequestHeaders, type Response as GraphqlHttpResponse } from 'graphql-http';
import { auditAsChange } from '../runtime/audit-mark.js';
import type { Ctx } from '../kit/context.js';
import type { HttpError } from '../core/errors.js';
import { noteAudit, type AuditedField } from '../runtime/request-notes.js';
import { json, jsonResponse } from '../kit/respond.js';
import type { ResolverContext } from './area.js';
import { executeOperation } from './compiled-execution.js';
import { cachedParse, cachedValidate } from './document-cache.js';
import { isPublicOperation } from './public-operations.js';
import { graphqlSchema } from './schema.js';

/** What the unit hands the engine for one request. */
export interface GraphqlCall {
  request: Request;
  /** The runtime's ctx with `caller` set when a valid token came with the request. */
  ctx: Ctx;
  /** Why the token was refused (no header, a wrong token); null when a caller was found. */
  refusal: HttpError | null;
  /** The JSON body the runtime has already read and limited (POST); undefined for GET. */
  body: unknown;
}

/** The GraphQL form of the REST 401 (same status and WWW-Authenticate, so the limiter counts it alike). */
function unauthorized(refusal: HttpError | null): Response {
  const error = refusal?.body as { error?: unknown } | undefined;
  const message = typeof error?.error === 'string' ? error.error : 'Invalid token';
  return json({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] }, 401, refusal?.headers ?? {});
}

/** Root fields, and the fields below a namespace (`users { createUser }`), whose value carries a `code`. */
function mutationOutcomes(operation: OperationDefinitionNode, result: ExecutionResult): AuditedField[] {
  const data = (result.data ?? {}) as Record<string, unknown>;
  const fields: AuditedField[] = [];
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    const value = data[selection.alias?.value ?? selection.name.value];
    const name = selection.name.value;
    if (typeof value !== 'object' || value === null) {
      // A field that failed (an error) or gave nothing: still a line, so every attempt is on record.
      fields.push({ field: name, code: result.errors === undefined ? 200 : 500 });
    } else if (typeof (value as { code?: unknown }).code === 'number') {
      fields.push({ field: name, code: (value as { code: number }).code });
    } else {
      for (const [sub, inner] of Object.entries(value)) {
        const code = (inner as { code?: unknown } | null)?.code;
        fields.push({ field: `${name}.${sub}`, code: typeof code === 'number' ? code : 500 });
      }
    }
  }
  return fields;
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
const handle = createHandler<unknown, GraphqlCall, ResolverContext & Record<PropertyKey, unknown>>({
  parse: cachedParse,
  validate: cachedValidate,
  execute: executeOperation,
  schema: (req, args) => {
    const call = req.context;
    // The gate: without a valid token only the public operations run; refused before validation or execution.
    if (call.ctx.caller === null && !isPublicOperation(args.document, args.operationName)) {
      return [null, { status: 401, statusText: 'Unauthorized' }] as const;
    }
    return graphqlSchema();
  },
  context: (req) => ({ ctx: req.context.ctx, request: req.context.request }),
  onOperation: (req, args, result) => {
    const operation = getOperationAST(args.document, args.operationName);
    if (operation?.operation === 'mutation' && 'data' in result) {
      // The name in the document when the request did not repeat it as operationName.
      const name = args.operationName ?? operation.name?.value ?? null;
      // Audited as a change (routes.json says `mutates: false` for /graphql: queries are not), with its detail.
      auditAsChange(req.context.request);
      noteAudit(req.context.request, { operation: name, fields: mutationOutcomes(operation, result) });
    }
    return plainAnswer(req.context.request.headers.get('accept'), result);
  },
  formatError: (error) => {
    // A resolver's unexpected fault: logged for the admin, answered without details (never a stack or a path).
    if (error instanceof GraphQLError && error.originalError !== undefined && !(error.originalError instanceof GraphQLError)) {
      return new GraphQLError('Internal server error', { nodes: error.nodes, path: error.path });
    }
    return error;
  },
});

function headersOf(request: Request): RequestHeaders {
  return { get: (name: string) => request.headers.get(name) };
}

/** Runs one GraphQL request; any GraphQL problem is a 200/400/405 with `errors`, never a 5xx. */
export async function serveGraphql(call: GraphqlCall): Promise<Response> {
  const { request } = call;
  const [body, init] = await handle({
    method: request.method,
    url: request.url,
    headers: headersOf(request),
    body: call.body === undefined ? null : (call.body as Record<string, unknown>),
    raw: undefined,
    context: call,
  });
  if (init.status === 401) return unauthorized(call.refusal);
  if (init.status >= 500) {
    call.ctx.log.error('graphql handler fault', { status: init.status });
  }
  if (typeof body !== 'string') return new Response(body, { status: init.status, statusText: init.statusText, headers: init.headers });
  // As bytes with every header up front, as REST answers are (the adapter writes them as they are).
  return jsonResponse(Buffer.from(body, 'utf8'), init.status, init.headers);
}
