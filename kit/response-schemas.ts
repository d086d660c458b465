// Response bodies shared by many functions, for their `responses` descriptions.
import { z } from 'zod';
import { MAX_BODY_BYTES } from './body.js';

// The ids name them once in the OpenAPI document's components instead of repeating them everywhere.
export const ErrorBody = z.object({ error: z.string(), field: z.string().optional() }).meta({ id: 'Error' });
export const MessageBody = z.object({ message: z.string() }).meta({ id: 'Message' });
export const StatusMessageBody = z.object({ status: z.number().int(), message: z.string() }).meta({ id: 'StatusMessage' });

/** What the runtime answers on a route that is not public (runtime/auth.ts); the OpenAPI document adds it. */
export const AUTH_RESPONSES = {
  401: { description: 'Missing or invalid bearer token', schema: ErrorBody },
} as const;

/** What the brute-force limiter answers a client over its limit (runtime/rate-limit.ts); the OpenAPI document adds it. */
export const LIMITER_RESPONSES = {
  429: { description: 'Too many failed attempts from this address; `Retry-After` gives the seconds to wait', schema: ErrorBody },
} as const;

/** What the runtime itself answers while reading a JSON body (see METHODS_WITH_BODY). */
export const BODY_RESPONSES = {
  400: { description: 'Malformed JSON body', schema: ErrorBody },
  413: { description: `Request body larger than ${MAX_BODY_BYTES / 1024} KiB`, schema: ErrorBody },
} as const;

/** What the router answers for a closed path parameter (a z.enum, runtime/route-paths.ts) given another value. */
export const CLOSED_PARAMETER_RESPONSES = {
  404: { description: 'A path parameter not one of its listed values: no such path', schema: ErrorBody },
} as const;

/** What the runtime itself answers for a path parameter that is not valid percent-encoding. */
export const PATH_PARAMETER_RESPONSES = {
  400: { description: 'Path parameter not valid percent-encoding', schema: ErrorBody },
} as const;
