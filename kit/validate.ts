// Parses request input with zod schemas; any mismatch is a 400 that names the field.
import type { z } from 'zod';
import { badRequest } from '../core/errors.js';
import { readJsonBody } from './body.js';

function describeIssue(issue: z.core.$ZodIssue): { field: string; message: string } {
  const field = issue.path.map(String).join('.') || 'body';
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return { field, message: `Missing field: ${field}` };
  }
  return { field, message: `Invalid field ${field}: ${issue.message}` };
}

/** Validates a value against a schema or throws a 400 naming the first bad field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const first = result.error.issues[0];
  if (first === undefined) throw badRequest('Invalid input');
  const { field, message } = describeIssue(first);
  throw badRequest(message, field);
}

/** Reads the JSON body of a request (already parsed by the runtime when served) and validates it. */
export async function parseBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  const body = await readJsonBody(request);
  if (body === undefined) throw badRequest('Missing request body', 'body');
  return parseWith(schema, body);
}

/** Validates the query string of a request (each parameter as its string value; the last repeat wins). */
export function parseQuery<S extends z.ZodType>(request: Request, schema: S): z.infer<S> {
  return parseWith(schema, Object.fromEntries(new URL(request.url).searchParams));
}
