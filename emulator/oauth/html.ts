import { describeScopes } from './scopes.ts';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

const STYLE = `
body{margin:0;background:#f3f3f3;font:15px/1.5 -apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:#181818}
main{max-width:380px;margin:64px auto;background:#fff;border:1px solid #ddd;border-radius:6px;padding:28px 32px}
h1{font-size:22px;margin:0 0 4px;color:#032d60}
p.sub{margin:0 0 20px;color:#555}
label{display:block;margin:14px 0 4px;font-size:13px;color:#444}
input[type=text],input[type=password]{box-sizing:border-box;width:100%;padding:9px 10px;border:1px solid #bbb;border-radius:4px;font:inherit}
button{margin-top:20px;padding:10px 18px;border:0;border-radius:4px;background:#0176d3;color:#fff;font:inherit;cursor:pointer}
button.secondary{background:#fff;color:#0176d3;border:1px solid #0176d3;margin-right:8px}
.error{background:#fde8e8;border:1px solid #c23934;color:#c23934;border-radius:4px;padding:8px 10px;margin-bottom:12px}
ul{padding-left:20px}
footer{margin-top:24px;font-size:12px;color:#888}
`;

/**
 * The security headers of every page: not cacheable, not frameable (the consent page must not be
 * clickjacked), and no script at all. No `form-action`: browsers apply it to the redirect that a
 * form post answers with, and that redirect leaves for the app's callback.
 */
const PAGE_HEADERS = {
  'Content-Type': 'text/html;charset=UTF-8',
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
};

function page(status: number, title: string, body: string, headers: Record<string, string> = {}): Response {
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>
${body}
<footer>Forcefield Salesforce emulator</footer>
</main></body>
</html>
`;
  return new Response(html, { status, headers: { ...PAGE_HEADERS, ...headers } });
}

export interface FormContext {
  /** The pending authorization's opaque id. */
  authorization: string;
  csrf: string;
  appName: string;
}

function hiddenFields(form: FormContext): string {
  return `<input type="hidden" name="authorization" value="${escapeHtml(form.authorization)}">
<input type="hidden" name="csrf" value="${escapeHtml(form.csrf)}">`;
}

export function loginPage(form: FormContext, options: { username?: string; error?: string } = {}): Response {
  const error = options.error ? `<div class="error" role="alert">${escapeHtml(options.error)}</div>` : '';
  return page(
    200,
    'Login | Salesforce',
    `<h1>Log In</h1>
<p class="sub">to continue to ${escapeHtml(form.appName)}</p>
${error}<form method="post" action="/services/oauth2/authorize">
${hiddenFields(form)}
<label for="username">Username</label>
<input type="text" id="username" name="username" autocomplete="username" value="${escapeHtml(options.username ?? '')}" required>
<label for="password">Password</label>
<input type="password" id="password" name="pw" autocomplete="current-password" required>
<button type="submit" name="action" value="login">Log In</button>
</form>`,
  );
}

export function consentPage(form: FormContext, username: string, scopes: readonly string[]): Response {
  const items = describeScopes(scopes)
    .map((line) => `<li>${escapeHtml(line.label)} (${escapeHtml(line.scopes.join(', '))})</li>`)
    .join('\n');
  return page(
    200,
    'Allow Access? | Salesforce',
    `<h1>Allow Access?</h1>
<p class="sub">Logged in as ${escapeHtml(username)}</p>
<p><strong>${escapeHtml(form.appName)}</strong> is asking to:</p>
<ul>
${items}
</ul>
<p>Do you want to allow access for ${escapeHtml(username)}?</p>
<form method="post" action="/services/oauth2/authorize">
${hiddenFields(form)}
<button type="submit" class="secondary" name="action" value="deny">Deny</button>
<button type="submit" name="action" value="allow">Allow</button>
</form>`,
  );
}

/** An error shown in the browser instead of redirecting (the callback itself can't be trusted). */
export function errorPage(status: number, error: string, description: string): Response {
  return page(
    status,
    'OAuth Error | Salesforce',
    `<h1>OAuth Error</h1>
<p class="sub">We can't authorize you because of an OAuth error.</p>
<div class="error" role="alert"><strong>error=${escapeHtml(error)}</strong><br>error_description=${escapeHtml(description)}</div>`,
  );
}
