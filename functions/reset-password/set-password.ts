// POST /reset-password (public, an HTML form): sets the password of a reset link's user and starts the rebuild that applies it.
import { z } from 'zod';
import { HttpError, badRequest, notFound } from '../../core/errors.js';
import { hashPassword } from '../../domain/password-hash.js';
import { PasswordSchema } from '../../domain/password-rules.js';
import { takeResetLink } from '../../domain/reset-links.js';
import { API_SUBDOMAIN } from '../../domain/service-catalog.js';
import { serverDomainOf } from '../../domain/server-domain.js';
import { CONFIGURATION_ACTIONS } from '../../domain/system-units.js';
import { setPasswordHash } from '../../domain/user-password.js';
import { noteAuditEvent } from '../../kit/audit-event.js';
import { readFormBody } from '../../kit/body.js';
import type { Ctx } from '../../kit/context.js';
import { ErrorBody } from '../../kit/response-schemas.js';
import { deadLinkPage, donePage, formPage, problemPage } from './page.js';
import { resetLinkUser } from './show-form.js';

export const body = z.object({
  token: z.string().describe('The secret of the link'),
  password: z.string(),
  password_again: z.string().describe('The same password, typed a second time'),
});

export type ResetPasswordInput = z.infer<typeof body>;

const html = { schema: z.string(), mediaTypes: ['text/html'] };
export const responses = {
  200: { description: 'The password is saved and the rebuild that applies it has started', ...html },
  400: { description: 'The passwords differ or break a password rule (the form again), or the form came from another site', ...html },
  404: { description: 'The link was used, has expired, was replaced, or never existed; nothing is written (counted as a failed login)', ...html },
  413: { description: 'Form larger than 64 KiB', schema: ErrorBody },
};

export interface PasswordSetThroughLink {
  username: string;
  /** Whether the rebuild that gives the mail server the new hash could be started. */
  applying: boolean;
}

/** Why a password is refused, in the words of its first broken rule. */
function passwordProblem(password: string, again: string): string | undefined {
  if (password !== again) return 'The two passwords are not the same.';
  const checked = PasswordSchema.safeParse(password);
  return checked.success ? undefined : `The password ${checked.error.issues[0]?.message ?? 'is not accepted'}.`;
}

/**
 * The operation: a live link's secret and a password that keeps the rules → the user's stored hash
 * replaced, the link used up, the rebuild started. The link is checked before the password so a
 * refused password leaves it usable; it is taken (under its own lock) just before the write, so two
 * forms posted at once cannot both use it. Nothing of the secret reaches an error or a log.
 */
export async function setPasswordThroughResetLink(ctx: Ctx, input: ResetPasswordInput): Promise<PasswordSetThroughLink> {
  resetLinkUser(ctx, input.token);
  const problem = passwordProblem(input.password, input.password_again);
  if (problem !== undefined) throw badRequest(problem, 'password');
  const hashed = hashPassword(input.password);
  const link = await ctx.store.resetLinks.update((file) => takeResetLink(file, input.token, ctx.now()));
  if (link === undefined) throw notFound({ error: 'Reset link not valid' });
  const written = await ctx.store.userdata.update((data) => setPasswordHash(data, link.username, hashed));
  if (!written) throw notFound({ error: 'The user of this link no longer exists' });
  const { unit, jobType } = CONFIGURATION_ACTIONS.apply;
  try {
    await ctx.jobs.startUnitJob(jobType, unit);
    return { username: link.username, applying: true };
  } catch (error) {
    ctx.log.error('rebuild after a reset link could not start', { errorMessage: (error as Error).message });
    return { username: link.username, applying: false };
  }
}

/**
 * A browser says where a form was posted from. Only this server's own page may post here: another
 * site's page could otherwise make a visitor's browser spend their failed-login budget, or try
 * secrets from many visitors' addresses. Browsers send Sec-Fetch-Site; older ones only Origin,
 * which must then be the API's public address (the runtime pins the Host header, so it cannot be
 * compared with that). A client that is no browser sends neither and is judged by the secret alone.
 */
function isPostedFromElsewhere(request: Request, ctx: Ctx): boolean {
  const site = request.headers.get('sec-fetch-site');
  if (site !== null) return site !== 'same-origin';
  const origin = request.headers.get('origin');
  if (origin === null) return false;
  const domain = serverDomainOf(ctx.store.userdata.read(), ctx.store.files);
  return domain === undefined || origin !== `https://${API_SUBDOMAIN}.${domain}`;
}

function fieldsOf(form: URLSearchParams): ResetPasswordInput {
  return { token: form.get('token') ?? '', password: form.get('password') ?? '', password_again: form.get('password_again') ?? '' };
}

export default async function setPasswordThroughResetLinkEndpoint(request: Request, ctx: Ctx): Promise<Response> {
  if (isPostedFromElsewhere(request, ctx)) return problemPage('Form refused', 'This form is accepted only from its own page on this server.', 400);
  const input = fieldsOf(await readFormBody(request));
  try {
    const done = await setPasswordThroughResetLink(ctx, input);
    noteAuditEvent(ctx, `password set through a reset link for ${done.username}`);
    return donePage(done.username, done.applying);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    if (error.status !== 400) return deadLinkPage();
    // A refused password: the form again with the reason, as long as the link still works.
    const problem = (error.body as { error?: string }).error;
    try {
      return formPage({ username: resetLinkUser(ctx, input.token), token: input.token, problem }, 400);
    } catch {
      return deadLinkPage();
    }
  }
}
