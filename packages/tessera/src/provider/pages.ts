// The built-in pages: server-rendered HTML that works without JavaScript (login, consent, error), served
// with a CSP that forbids framing and scripts (clickjacking), no caching, and every value HTML-escaped.

const escapeHTML = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem}label,input,button{display:block;width:100%;margin:.4rem 0}input{padding:.5rem}button{padding:.6rem}';

/** Headers of every page: no framing, no scripts, no caching. */
export const PAGE_HEADERS = {
  'content-type': 'text/html;charset=UTF-8',
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
} as const;

function page(status: number, title: string, body: string, headers: Record<string, string> = {}): Response {
  return new Response(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHTML(title)}</title><style>${STYLE}</style></head><body><h1>${escapeHTML(title)}</h1>${body}</body></html>`,
    { status, headers: { ...PAGE_HEADERS, ...headers } },
  );
}

/**
 * Headers of a form page whose submission ends in a redirect to the client: CSP form-action is enforced
 * on the redirects that follow a submission too (Chromium), so the redirect URI's origin is allowed
 * beside 'self' — that one origin only.
 */
function formHeaders(redirectTo: string | undefined): Record<string, string> {
  let origin: string | undefined;
  try {
    origin = redirectTo === undefined ? undefined : new URL(redirectTo).origin;
  } catch {}
  if (origin === undefined || origin === 'null') return {};
  return {
    'content-security-policy': PAGE_HEADERS['content-security-policy'].replace(
      "form-action 'self'",
      `form-action 'self' ${origin}`,
    ),
  };
}

/** The error page (never a redirect). */
export function errorPage(
  status: number,
  title: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return page(status, title, `<p>${escapeHTML(message)}</p>`, headers);
}

/** The login form; posts username, password, uid and csrf back to `action`. */
export function loginPage(options: {
  action: string;
  uid: string;
  csrf: string;
  clientName: string;
  loginHint?: string;
  message?: string;
  status?: number;
  /** The client's redirect URI (its origin joins CSP form-action). */
  redirectTo?: string;
}): Response {
  const hint = options.loginHint ? ` value="${escapeHTML(options.loginHint)}"` : '';
  return page(
    options.status ?? 200,
    'Sign in',
    `<p>to continue to <strong>${escapeHTML(options.clientName)}</strong></p>${options.message ? `<p role="alert">${escapeHTML(options.message)}</p>` : ''}<form method="post" action="${escapeHTML(options.action)}"><input type="hidden" name="uid" value="${escapeHTML(options.uid)}"><input type="hidden" name="csrf" value="${escapeHTML(options.csrf)}"><input type="hidden" name="prompt" value="login"><label for="username">Username</label><input id="username" name="username" autocomplete="username" required${hint}><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required><button type="submit">Sign in</button></form>`,
    formHeaders(options.redirectTo),
  );
}

/** The consent form listing the requested scopes. */
export function consentPage(options: {
  action: string;
  uid: string;
  csrf: string;
  clientName: string;
  scopes: string[];
  sub: string;
  /** The client's redirect URI (its origin joins CSP form-action). */
  redirectTo?: string;
}): Response {
  const items = options.scopes.map((s) => `<li>${escapeHTML(s)}</li>`).join('');
  const hidden = `<input type="hidden" name="uid" value="${escapeHTML(options.uid)}"><input type="hidden" name="csrf" value="${escapeHTML(options.csrf)}"><input type="hidden" name="prompt" value="consent">`;
  return page(
    200,
    'Allow access?',
    `<p><strong>${escapeHTML(options.clientName)}</strong> asks to access, for <strong>${escapeHTML(options.sub)}</strong>:</p><ul>${items}</ul><form method="post" action="${escapeHTML(options.action)}">${hidden}<button type="submit" name="decision" value="allow">Allow</button><button type="submit" name="decision" value="deny">Deny</button></form>`,
    formHeaders(options.redirectTo),
  );
}

/**
 * The logout confirmation (RP-Initiated Logout 1.0 §2: the OP asks when it cannot trust the request);
 * posts the one-time `xsrf` token and the decision back to `action`.
 */
export function logoutPage(options: { action: string; xsrf: string; clientName?: string }): Response {
  const from = options.clientName ? ` <strong>${escapeHTML(options.clientName)}</strong> asks you to sign out.` : '';
  return page(
    200,
    'Sign out?',
    `<p>Do you want to sign out?${from}</p><form method="post" action="${escapeHTML(options.action)}"><input type="hidden" name="xsrf" value="${escapeHTML(options.xsrf)}"><button type="submit" name="logout" value="yes">Sign out</button><button type="submit" name="logout" value="no">Stay signed in</button></form>`,
  );
}

/** The page shown after a logout (or a refused one) when there is no registered place to go back to. */
export function signedOutPage(signedOut: boolean, headers: Record<string, string | string[]> = {}): Response {
  const response = errorPage(
    200,
    signedOut ? 'Signed out' : 'Still signed in',
    signedOut ? 'You have been signed out. You can close this window.' : 'You are still signed in.',
  );
  for (const [name, value] of Object.entries(headers))
    for (const v of Array.isArray(value) ? value : [value]) response.headers.append(name, v);
  return response;
}
