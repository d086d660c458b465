// Builds the OpenAPI 3.1 document from routes.json and the zod schemas each function module exports.
import { z } from 'zod';
import { API_VERSION } from '../kit/api-version.js';
import { METHODS_WITH_BODY } from '../kit/body.js';
import type { ResponseSpec } from '../kit/context.js';
import { honoursIdempotencyKey, IDEMPOTENCY_HEADER_PARAMETER, IDEMPOTENCY_RESPONSES } from './idempotency.js';
import { isRateLimited } from './request-guard.js';
import { AUTH_RESPONSES, BODY_RESPONSES, CLOSED_PARAMETER_RESPONSES, LIMITER_RESPONSES, PATH_PARAMETER_RESPONSES } from '../kit/response-schemas.js';
import { hasClosedParameter, hasOpenParameter } from './route-paths.js';
import { pathParameterNames } from '../kit/routes.js';
import { type DescribedRoute } from '../kit/context.js';

export type JsonSchema = Record<string, unknown>;

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
  description?: string;
}

export interface OpenApiResponse {
  description: string;
  content?: Record<string, { schema: JsonSchema }>;
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  tags: string[];
  /** `[]` on public routes: no credentials needed. */
  security: Array<Record<string, string[]>>;
  parameters?: OpenApiParameter[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, OpenApiResponse>;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  tags: Array<{ name: string }>;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: {
    securitySchemes: Record<string, { type: 'http'; scheme: 'bearer'; description: string }>;
    schemas?: Record<string, JsonSchema>;
  };
}

/** Name of the security scheme that non-public operations require. */
export const BEARER_SCHEME = 'bearerAuth';
const JSON_MEDIA_TYPE = 'application/json';
const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** `DELETE /users/{username}` → `deleteUsersByUsername`: stable, readable, unique per method and path. */
export function operationId(method: string, path: string): string {
  const words = path
    .split('/')
    .filter(Boolean)
    .flatMap((segment) => {
      const parameter = segment.match(/^\{(\w+)\}$/);
      if (parameter) return ['By', capitalise(parameter[1] as string)];
      return segment.split(/[^A-Za-z0-9]+/).filter(Boolean).map(capitalise);
    });
  return method.toLowerCase() + words.join('');
}

/**
 * Turns zod schemas into JSON Schema 2020-12 (OpenAPI 3.1's dialect). Definitions zod puts under
 * `$defs` (recursive or `.meta({ id })` schemas) move to components.schemas, because a `#/$defs`
 * reference inside an OpenAPI document would resolve against the document's root.
 */
class SchemaConverter {
  readonly components: Record<string, JsonSchema> = {};

  convert(schema: z.ZodType, io: 'input' | 'output', owner: string): JsonSchema {
    const generated = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
    const { $schema: _dialect, $defs, ...root } = generated;
    const names = new Map<string, string>();
    for (const [key, definition] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
      names.set(`#/$defs/${key}`, this.claimName(key.startsWith('__') ? `${owner}_${key.replace(/^_+/, '')}` : key, owner, definition));
    }
    const selfReferencing = JSON.stringify(generated).includes('"$ref":"#"');
    if (selfReferencing) names.set('#', this.claimName(owner, owner, root));
    const rewrite = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(rewrite);
      if (value === null || typeof value !== 'object') return value;
      return Object.fromEntries(
        Object.entries(value).map(([key, inner]) => {
          const target = key === '$ref' && typeof inner === 'string' ? names.get(inner) : undefined;
          return [key, target === undefined ? rewrite(inner) : `#/components/schemas/${target}`];
        }),
      );
    };
    for (const [key, definition] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
      this.components[names.get(`#/$defs/${key}`) as string] = rewrite(definition) as JsonSchema;
    }
    if (selfReferencing) {
      const name = names.get('#') as string;
      this.components[name] = rewrite(root) as JsonSchema;
      return { $ref: `#/components/schemas/${name}` };
    }
    return rewrite(root) as JsonSchema;
  }

  /** The preferred name, or one qualified by the owner when another definition already took it. */
  private claimName(preferred: string, owner: string, definition: JsonSchema): string {
    const existing = this.components[preferred];
    if (existing === undefined || JSON.stringify(existing) === JSON.stringify(definition)) return preferred;
    let candidate = `${owner}_${preferred}`;
    for (let n = 2; this.components[candidate] !== undefined; n += 1) candidate = `${owner}_${preferred}${n}`;
    return candidate;
  }
}

/** The object-shaped schema's properties and required names (query and path parameters). */
function objectProperties(schema: JsonSchema): { properties: Record<string, JsonSchema>; required: string[] } {
  return {
    properties: (schema.properties ?? {}) as Record<string, JsonSchema>,
    required: Array.isArray(schema.required) ? (schema.required as string[]) : [],
  };
}

function parametersOf(route: DescribedRoute, converter: SchemaConverter, owner: string): OpenApiParameter[] {
  const parameters: OpenApiParameter[] = [];
  const declared = route.module.params ? objectProperties(converter.convert(route.module.params, 'input', `${owner}Params`)) : undefined;
  for (const name of pathParameterNames(route.path)) {
    const schema = declared?.properties[name] ?? { type: 'string' };
    const { description, ...rest } = schema;
    parameters.push({ name, in: 'path', required: true, schema: rest, ...(typeof description === 'string' ? { description } : {}) });
  }
  if (route.module.query) {
    const query = objectProperties(converter.convert(route.module.query, 'input', `${owner}Query`));
    for (const [name, schema] of Object.entries(query.properties)) {
      const { description, ...rest } = schema;
      parameters.push({
        name,
        in: 'query',
        required: query.required.includes(name),
        schema: rest,
        ...(typeof description === 'string' ? { description } : {}),
      });
    }
  }
  if (honoursIdempotencyKey(route)) parameters.push({ ...IDEMPOTENCY_HEADER_PARAMETER, schema: { ...IDEMPOTENCY_HEADER_PARAMETER.schema } });
  return parameters;
}

/**
 * The module's own answers plus those the runtime gives around the function, derived from the
 * route's line of routes.json: its method, whether it is public, whether it is a login.
 */
function responseSpecsOf(route: DescribedRoute): Map<number, ResponseSpec[]> {
  const specs = new Map<number, ResponseSpec[]>();
  const add = (table: Record<number, ResponseSpec>): void => {
    for (const [status, spec] of Object.entries(table)) {
      specs.set(Number(status), [...(specs.get(Number(status)) ?? []), spec]);
    }
  };
  add(route.module.responses ?? {});
  // A transport's route reads its own body and answers its errors in its own dialect.
  if (route.function !== undefined && METHODS_WITH_BODY.has(route.method)) add(BODY_RESPONSES);
  if (hasOpenParameter(route)) add(PATH_PARAMETER_RESPONSES);
  if (hasClosedParameter(route)) add(CLOSED_PARAMETER_RESPONSES);
  if (!route.public) add(AUTH_RESPONSES);
  if (isRateLimited(route)) add(LIMITER_RESPONSES);
  if (honoursIdempotencyKey(route)) add(IDEMPOTENCY_RESPONSES);
  return new Map([...specs].sort(([a], [b]) => a - b));
}

function responsesOf(route: DescribedRoute, converter: SchemaConverter, owner: string): Record<string, OpenApiResponse> {
  const responses: Record<string, OpenApiResponse> = {};
  for (const [status, specs] of responseSpecsOf(route)) {
    // Same status from the function and the runtime: one entry, both reasons, the function's schema.
    const withSchema = specs.find((spec) => spec.schema !== undefined);
    const response: OpenApiResponse = { description: [...new Set(specs.map((spec) => spec.description))].join('; ') };
    if (withSchema?.schema !== undefined) {
      const schema = converter.convert(withSchema.schema, 'output', `${owner}${status}`);
      response.content = Object.fromEntries((withSchema.mediaTypes ?? [JSON_MEDIA_TYPE]).map((type) => [type, { schema }]));
    }
    responses[String(status)] = response;
  }
  return responses;
}

function operationOf(route: DescribedRoute, converter: SchemaConverter): OpenApiOperation {
  const id = operationId(route.method, route.path);
  const owner = capitalise(id);
  const parameters = parametersOf(route, converter, owner);
  let requestBody: OpenApiOperation['requestBody'];
  if (route.module.body) {
    const schema = converter.convert(route.module.body, 'input', `${owner}Body`);
    // A body whose fields are all optional may be left out (POST /auth/recovery_token).
    const required = Array.isArray(schema.required) && schema.required.length > 0;
    requestBody = { required, content: { [route.formBody === true ? FORM_MEDIA_TYPE : JSON_MEDIA_TYPE]: { schema } } };
  }
  return {
    operationId: id,
    summary: route.summary,
    tags: [route.tag],
    security: route.public ? [] : [{ [BEARER_SCHEME]: [] }],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses: responsesOf(route, converter, owner),
  };
}

/** Builds the document; throws when two routes would share an operationId. */
export function buildOpenApiDocument(routes: readonly DescribedRoute[]): OpenApiDocument {
  const converter = new SchemaConverter();
  const paths: OpenApiDocument['paths'] = {};
  const tags: string[] = [];
  const ids = new Map<string, string>();
  for (const route of routes) {
    const operation = operationOf(route, converter);
    const where = `${route.method} ${route.path}`;
    const clash = ids.get(operation.operationId);
    if (clash !== undefined) throw new Error(`${where} and ${clash} would share operationId ${operation.operationId}`);
    ids.set(operation.operationId, where);
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation };
    if (!tags.includes(route.tag)) tags.push(route.tag);
  }
  const document: OpenApiDocument = {
    openapi: '3.1.0',
    info: {
      title: 'SelfPrivacy API',
      version: API_VERSION,
      description:
        'The API on a SelfPrivacy server that the SelfPrivacy app talks to. Every route except the public ones '
        + 'needs `Authorization: Bearer <token>`, a token of tokens.json.',
    },
    tags: tags.map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        [BEARER_SCHEME]: { type: 'http', scheme: 'bearer', description: 'An API token of a device (tokens.json)' },
      },
    },
  };
  if (Object.keys(converter.components).length > 0) document.components.schemas = converter.components;
  return document;
}

const built = new WeakMap<readonly DescribedRoute[], OpenApiDocument>();

/** The document for a set of loaded routes, built on first use: routes do not change while the process runs. */
export function openApiDocument(routes: readonly DescribedRoute[]): OpenApiDocument {
  let document = built.get(routes);
  if (document === undefined) {
    document = buildOpenApiDocument(routes);
    built.set(routes, document);
  }
  return document;
}
