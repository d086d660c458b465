// The {id} path parameter of the /jobs/{id} routes, and the 404 for an id no job has.
import { z } from 'zod';
import { notFound } from '../../core/errors.js';

export const JobIdParams = z.object({ id: z.string().min(1).max(100) });

export function jobNotFound(): never {
  throw notFound({ error: 'Job not found' });
}
