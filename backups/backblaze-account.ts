// What a Backblaze B2 account in userdata's `backblaze` section looks like: the one definition of its fields.
import { z } from 'zod';
import type { Userdata } from '../store/userdata.js';

/**
 * B2 key ids and application keys are base64-like; bucket names are 6–63 letters, digits and
 * hyphens. Nothing else is accepted, so no value can break out of its rclone.conf line or of
 * the `rclone:backblaze:<bucket>/sfbackup` repository name.
 */
export const BackblazeAccountSchema = z.object({
  accountId: z.string().regex(/^[A-Za-z0-9+/=_.-]{1,256}$/, 'must be a Backblaze key id'),
  accountKey: z.string().regex(/^[A-Za-z0-9+/=_.-]{1,256}$/, 'must be a Backblaze application key'),
  bucket: z.string().regex(/^[A-Za-z0-9-]{6,63}$/, 'must be a Backblaze bucket name (6 to 63 letters, digits or hyphens)'),
});

export type BackblazeAccount = z.infer<typeof BackblazeAccountSchema>;

/** The account stored in userdata, or undefined when the section is missing, incomplete or not valid. */
export function storedBackblazeAccount(userdata: Userdata): BackblazeAccount | undefined {
  const parsed = BackblazeAccountSchema.safeParse(userdata.backblaze);
  return parsed.success ? parsed.data : undefined;
}
