// GET /api/version: the API version this server implements.
import { z } from 'zod';
import { API_VERSION } from '../../kit/api-version.js';
import { json } from '../../kit/respond.js';

export const responses = {
  200: { description: 'API version', schema: z.object({ version: z.string() }) },
};

export default function getApiVersion(): Response {
  return json({ version: API_VERSION });
}
