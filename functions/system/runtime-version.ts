// GET /system/pythonVersion: the runtime this API runs on (the original answered its Python version here).
import { z } from 'zod';
import { json } from '../../kit/respond.js';

export const responses = {
  200: { description: 'Name and version of the runtime, e.g. "Node.js 20.19.0"', schema: z.string() },
};

export default function getRuntimeVersion(): Response {
  return json(`Node.js ${process.versions.node}`);
}
