// GET /system/pythonVersion: the runtime this API runs on (the original answered its Python version here).
import { z } from 'zod';
import { json } from '../../kit/respond.js';

export const responses = {
  200: { description: 'Name and version of the runtime, e.g. "Node.js 20.19.0"', schema: z.string() },
};

/** The runtime's name and version. */
export function getRuntimeVersion(): string {
  return `Node.js ${process.versions.node}`;
}

export default function getRuntimeVersionEndpoint(): Response {
  return json(getRuntimeVersion());
}
