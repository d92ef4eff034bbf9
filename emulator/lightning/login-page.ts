import { escapeHtml } from '../oauth/html.ts';
import { lightningHtml } from './lightning-html.ts';

/**
 * The emulator's login form for its record pages: a record page asked for without a browser
 * session lands here and comes back after login. `csrf` pairs with a cookie (double submit), so
 * another site cannot log the browser into the emulator as someone else.
 */
export function loginPage(options: {
  orgName: string;
  startUrl: string;
  csrf: string;
  username?: string;
  error?: string;
  status?: number;
  headers?: Record<string, string>;
}): Response {
  const error = options.error ? `<div class="error" role="alert">${escapeHtml(options.error)}</div>` : '';
  return lightningHtml({
    status: options.status ?? 200,
    title: 'Login',
    orgName: options.orgName,
    headers: options.headers,
    body: `<section>
<h1>Log In</h1>
<p>Log in to the demo org to see this record.</p>
${error}<form method="post" action="/lightning/login">
<input type="hidden" name="startURL" value="${escapeHtml(options.startUrl)}">
<input type="hidden" name="csrf" value="${escapeHtml(options.csrf)}">
<label for="username">Username</label>
<input type="text" id="username" name="username" autocomplete="username" value="${escapeHtml(options.username ?? '')}" required>
<label for="password">Password</label>
<input type="password" id="password" name="pw" autocomplete="current-password" required>
<button type="submit">Log In</button>
</form>
</section>`,
  });
}
