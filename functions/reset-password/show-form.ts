// GET /reset-password?token=… (public): the password form of a reset link, or a page saying the link does not work.
import { z } from 'zod';
import { findLiveLink } from '../../domain/reset-links.js';
import { notFound } from '../../core/errors.js';
import type { Ctx } from '../../kit/context.js';
import { deadLinkPage, formPage } from './page.js';

export const query = z.object({ token: z.string().describe('The secret of the link, as generatePasswordResetLink gave it') });

export const responses = {
  200: { description: 'The form for the new password', schema: z.string(), mediaTypes: ['text/html'] },
  404: { description: 'The link was used, has expired, was replaced, or never existed (counted as a failed login)', schema: z.string(), mediaTypes: ['text/html'] },
};

/** The user a live link is for; a 404 (which the brute-force limiter counts) for anything else. */
export function resetLinkUser(ctx: Ctx, token: string): string {
  const link = findLiveLink(ctx.store.resetLinks.read(), token, ctx.now());
  if (link === undefined) throw notFound({ error: 'Reset link not valid' });
  return link.username;
}

export default function resetLinkUserEndpoint(request: Request, ctx: Ctx): Response {
  const token = new URL(request.url).searchParams.get('token') ?? '';
  try {
    return formPage({ username: resetLinkUser(ctx, token), token });
  } catch {
    return deadLinkPage();
  }
}
