// Body of the two public logins: a mnemonic and the name of the device asking for a token.
import { z } from 'zod';

export const DeviceLoginBody = z.object({
  token: z.string().min(1).max(1024),
  device: z.string().max(256),
});
