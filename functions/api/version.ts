// GET /api/version: the API version this server implements.
import { z } from 'zod';
import { API_VERSION } from '../../kit/api-version.js';
import { json } from '../../kit/respond.js';

export const responses = {
  200: { description: 'API version', schema: z.object({ version: z.string() }) },
};

/** The REST API version this server implements. */
export function getApiVersion(): string {
  return API_VERSION;
}

export default function getApiVersionEndpoint(): Response {
  return json({ version: getApiVersion() });
}
