// The small HTML pages of a password reset link: the form, and what became of it. No script, no outside file.
import { createHash } from 'node:crypto';
import { Response } from '@whatwg-node/fetch';
import { STANDARD_HEADERS } from '../../kit/respond.js';

const STYLE = [
  'body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1b1b1f}',
  'label{display:block;margin:1rem 0 .25rem}',
  'input[type=password]{width:100%;padding:.5rem;box-sizing:border-box}',
  'button{margin-top:1.25rem;padding:.5rem 1rem}',
  '.problem{color:#a4000f}',
].join('');

/**
 * The page runs nothing and loads nothing: only its one inline style (by hash) is allowed, its form
 * may post only here, and no other site may show it in a frame (a hidden frame could catch typing).
 */
export const RESET_PAGE_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/**
 * The page's address holds the secret: no Referer may carry it to another site. `same-origin`, not
 * `no-referrer`: under the latter a browser also sends `Origin: null` with the form, and the post
 * could not be told from one made by another site.
 */
const PAGE_HEADERS = {
  ...STANDARD_HEADERS,
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': RESET_PAGE_POLICY,
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
};

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] as string);
}

function page(title: string, body: string, status: number): Response {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>
`;
  // Bytes with their length, as kit/respond.ts builds answers: the node adapter writes them as they are.
  const bytes = Buffer.from(html, 'utf8');
  return new Response(bytes, { status, headers: { ...PAGE_HEADERS, 'content-length': String(bytes.length) } });
}

export interface FormPage {
  username: string;
  /** The link's secret, checked to be base64url before it gets here. */
  token: string;
  /** Why the last attempt was refused (a password rule), shown above the form. */
  problem?: string;
}

/** The form: the secret rides along as a hidden field, the password is asked for twice. */
export function formPage({ username, token, problem }: FormPage, status = 200): Response {
  const notice = problem === undefined ? '' : `<p class="problem" role="alert">${escapeHtml(problem)}</p>\n`;
  return page(
    'Set a new password',
    `<p>For the user <strong>${escapeHtml(username)}</strong>. It is their password for mail and the other services of this server.</p>
${notice}<form method="post" action="/reset-password">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<input type="text" name="username" value="${escapeHtml(username)}" autocomplete="username" hidden>
<label for="password">New password</label>
<input type="password" id="password" name="password" autocomplete="new-password" required>
<label for="password_again">The same password again</label>
<input type="password" id="password_again" name="password_again" autocomplete="new-password" required>
<button type="submit">Set password</button>
</form>`,
    status,
  );
}

/** The answer after the password was written. */
export function donePage(username: string, applying: boolean): Response {
  const next = applying
    ? 'The server is applying it now; mail accepts it within a few minutes.'
    : 'The server could not start applying it; the owner can start a system rebuild from the app.';
  return page('Password set', `<p>The new password of <strong>${escapeHtml(username)}</strong> is saved. ${next}</p>\n<p>This link cannot be used again.</p>`, 200);
}

/** A refusal the person can act on: a link that does not work, or a form that was not accepted. */
export function problemPage(title: string, explanation: string, status: number): Response {
  return page(title, `<p class="problem">${escapeHtml(explanation)}</p>`, status);
}

/** What a used, expired, replaced or mistyped link shows: the same words for each, as none can be told apart. */
export function deadLinkPage(): Response {
  return problemPage(
    'This link does not work',
    'The link was already used, has expired (links last one hour), was replaced by a newer one, or was copied incompletely. Ask the server owner for a new link.',
    404,
  );
}
