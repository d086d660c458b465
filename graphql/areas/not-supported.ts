// The answer of an operation this server's layout cannot do: it runs nothing and writes nothing.
import type { MutationReturn } from '../mutation-return.js';

/**
 * `success: false` with 400, the code upstream gives an operation a server cannot carry out
 * (e.g. pulling a configuration repository it has not), and a message saying why.
 */
export function notSupported(why: string): MutationReturn {
  return { success: false, code: 400, message: `Not supported on this server: ${why}` };
}
