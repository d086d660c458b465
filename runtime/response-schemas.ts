// Response bodies shared by many functions, for their `responses` descriptions.
import { z } from 'zod';

export const ErrorBody = z.object({ error: z.string(), field: z.string().optional() });
export const MessageBody = z.object({ message: z.string() });
export const StatusMessageBody = z.object({ status: z.number().int(), message: z.string() });

/** The answers the runtime itself gives for an authenticated route. */
export const AUTH_RESPONSES = {
  401: { description: 'Missing or invalid bearer token', schema: ErrorBody },
} as const;
