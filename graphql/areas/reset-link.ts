// Mutation users.generatePasswordResetLink: a one-hour, single-use link to this server's own password page.
import { internalError } from '../../core/errors.js';
import { addResetLink, resetLinkPath } from '../../domain/reset-links.js';
import { API_SUBDOMAIN } from '../../domain/service-catalog.js';
import { isTakenUsername, userNotFound } from '../../domain/user-records.js';
import { noteAuditEvent } from '../../kit/audit-event.js';
import type { Ctx } from '../../kit/context.js';
import type { ResolverContext } from '../area.js';
import { failureOf, succeeded, type MutationReturn } from '../mutation-return.js';
import { serverDomain } from './server-facts.js';

/**
 * The operation: a new link for the main user or a user of users[] (root has no password to set),
 * made by the device whose token asked. It replaces that user's earlier link. The link's secret is
 * in the returned address only: the state keeps its hash, the audit line names the user and device.
 */
async function createResetLink(ctx: Ctx, username: string): Promise<{ link: string; createdBy: string }> {
  // The main user or a record of users[]: the users who have a password (root has none).
  if (!isTakenUsername(ctx.store.userdata.read(), username)) throw userNotFound();
  const domain = serverDomain(ctx);
  if (domain === undefined) throw internalError('The server does not know its domain (var/domain), so no link to it can be made');
  const createdBy = ctx.caller?.name ?? 'unknown device';
  const secret = await ctx.store.resetLinks.update((file) => addResetLink(file, { username, createdBy, now: ctx.now() }));
  return { link: `https://${API_SUBDOMAIN}.${domain}${resetLinkPath(secret)}`, createdBy };
}

type ResetLinkReturn = MutationReturn & { passwordResetLink: string | null };

export async function generatePasswordResetLink(_parent: unknown, { username }: { username: string }, { ctx }: ResolverContext): Promise<ResetLinkReturn> {
  try {
    const { link, createdBy } = await createResetLink(ctx, username);
    noteAuditEvent(ctx, `reset link created for ${username} by device ${createdBy}`);
    return { ...succeeded('Password reset link created; it works once, for one hour'), passwordResetLink: link };
  } catch (error) {
    return { ...failureOf(error), passwordResetLink: null };
  }
}
