import type { DemoLogin } from '../accounts/workspace-setup.ts';
import type { ConnectionView } from '../connections/connection-view.ts';
import type { Actor } from '../core/actor.ts';
import { html, type SafeHtml } from './html.ts';

/** Who the page is for (the header shows them and a Log out button). */
type PageUser = Pick<Actor, 'name' | 'email' | 'role'>;

function layout(options: { title: string; page: string; user?: PageUser; body: SafeHtml }): SafeHtml {
  const { user } = options;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${options.title} · Forcefield</title>
<link rel="stylesheet" href="/assets/app.css">
<script src="/assets/app.js" defer></script>
</head>
<body data-page="${options.page}">
<header class="topbar">
<span class="brand">Forcefield</span>
${
  user &&
  html`<span class="who">${user.name} <span class="muted">${user.email}${user.role === 'admin' ? ' · admin' : ''}</span></span>
<button type="button" class="link" data-action="logout">Log out</button>`
}
</header>
<main>
${options.body}
</main>
</body>
</html>
`;
}

export function loginPage(options: { demoLogins: readonly DemoLogin[] }): SafeHtml {
  const hint =
    options.demoLogins.length > 0 &&
    html`<aside class="card hint">
<h2>Demo mode</h2>
<p>Forcefield runs with its built-in Salesforce emulator (demo org “Acme Demo”). These demo logins are public:</p>
<ul class="demo-logins">
${options.demoLogins.map(
  (
    login,
  ) => html`<li><button type="button" class="link" data-fill-email="${login.email}" data-fill-password="${login.password}">${login.email}</button> <span class="muted">${login.role}</span></li>
`,
)}</ul>
<p class="muted">Password <code>${options.demoLogins[0].password}</code>. Then connect Salesforce as <code>alice@acme.demo</code> (or <code>bob@acme.demo</code>) with password <code>demo1234</code> on the emulator's login page.</p>
</aside>`;
  // method="post": should the script not run, the password must never end up in a URL.
  const body = html`<section class="narrow">
<h1>Log in to Forcefield</h1>
<form id="login-form" class="card" method="post" action="/login">
<p id="login-error" class="banner error" role="alert" hidden></p>
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit" class="primary">Log in</button>
</form>
${hint}
</section>`;
  return layout({ title: 'Log in', page: 'login', body });
}

const STATUS_TEXT = { active: 'Active', needs_reconnect: 'Needs reconnect', revoked: 'Revoked' } as const;
const KIND_TEXT = { personal: 'Personal', organization: 'Organization' } as const;

/** `2025-01-31 14:05 UTC`: readable without client-side formatting, and the same for everyone. */
function formatTime(iso: string | null): string {
  if (!iso) return 'never';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function apiUsageText(usage: ConnectionView['apiUsage']): string {
  if (!usage) return 'not measured yet';
  const numbers = new Intl.NumberFormat('en-US');
  return `${numbers.format(usage.used)} of ${numbers.format(usage.max)} daily requests used (at ${formatTime(usage.at)})`;
}

function connectionCard(connection: ConnectionView, user: PageUser): SafeHtml {
  const { salesforce } = connection;
  // Reconnecting renews the same connection; organization connections are (re)made by admins only.
  const canReconnect =
    connection.status === 'needs_reconnect' && (connection.kind === 'personal' || user.role === 'admin');
  return html`<article class="card connection" data-connection-id="${connection.id}">
<header>
<h2>${connection.name}</h2>
<span class="badge">${KIND_TEXT[connection.kind]}</span>
<span class="badge status-${connection.status}">${STATUS_TEXT[connection.status]}</span>
</header>
<dl class="details">
<dt>Salesforce user</dt><dd>${salesforce.username} <span class="muted">(${salesforce.displayName})</span></dd>
<dt>Org id</dt><dd><code>${salesforce.orgId}</code></dd>
<dt>Instance</dt><dd><code>${salesforce.instanceUrl}</code></dd>
<dt>Last used</dt><dd>${formatTime(connection.lastUsedAt)}</dd>
<dt>API usage</dt><dd>${apiUsageText(connection.apiUsage)}</dd>
</dl>
<div class="actions">
<button type="button" data-action="check" data-connection-id="${connection.id}">Check</button>
${
  canReconnect &&
  html`<button type="button" class="primary" data-action="connect" data-kind="${connection.kind}" data-name="${connection.name}">Reconnect</button>`
}
${
  connection.canManage &&
  html`<button type="button" class="danger" data-action="disconnect" data-connection-id="${connection.id}" data-name="${connection.name}">Disconnect</button>`
}
</div>
<div class="check-result" data-check-result hidden></div>
</article>
`;
}

export interface ConnectionsPageOptions {
  user: PageUser;
  connections: ConnectionView[];
  /** True when Salesforce is the built-in emulator: there is no login host to choose. */
  embedded: boolean;
  /** `?connected=<id>` after the OAuth callback. */
  connectedId?: string;
  /** `?error=<code>&message=<text>` after a failed OAuth callback. */
  callbackError?: { code: string; message: string };
}

export function connectionsPage(options: ConnectionsPageOptions): SafeHtml {
  const { user, connections } = options;
  const connected =
    options.connectedId === undefined
      ? undefined
      : connections.find((connection) => connection.id === options.connectedId);
  const banners = html`${
    connected &&
    html`<p class="banner success" role="status">Connected as <strong>${connected.salesforce.username}</strong> to org <code>${connected.salesforce.orgId}</code> (“${connected.name}”).</p>`
  }${
    options.callbackError &&
    html`<div class="banner error" role="alert"><strong>Salesforce was not connected.</strong> ${options.callbackError.message} <span class="muted">(${options.callbackError.code})</span></div>`
  }`;
  const loginHostChoice = options.embedded
    ? html`<p class="muted">Salesforce here is the built-in emulator: log in there as <code>alice@acme.demo</code> or <code>bob@acme.demo</code> with password <code>demo1234</code>.</p>`
    : html`<div class="login-host">
<label for="login-host">Log in at</label>
<select id="login-host">
<option value="production">Production (login.salesforce.com)</option>
<option value="sandbox">Sandbox (test.salesforce.com)</option>
<option value="custom">My Domain…</option>
</select>
<input id="my-domain-url" type="url" placeholder="https://acme.my.salesforce.com" hidden>
</div>`;
  const organizationConnect =
    user.role === 'admin' &&
    html`<div class="organization-connect">
<label for="organization-name">Organization connection name <span class="muted">(optional)</span></label>
<div class="row">
<input id="organization-name" maxlength="100" placeholder="Sales service account">
<button type="button" data-action="connect" data-kind="organization" data-name-from="organization-name">Connect an organization connection (service account)</button>
</div>
<p class="muted">Shared with people, groups or the whole team from the API; Salesforce asks you to sign in as the service account.</p>
</div>`;
  const list =
    connections.length === 0
      ? html`<p class="card empty">No Salesforce connections yet. Connect your Salesforce login to get started.</p>`
      : connections.map((connection) => connectionCard(connection, user));
  const body = html`${banners}
<p id="action-message" class="banner" role="status" hidden></p>
<section class="card connect">
<h1>Salesforce connections</h1>
<p>Connect your own Salesforce login (a personal connection only you can use).</p>
${loginHostChoice}
<div class="actions"><button type="button" class="primary" data-action="connect" data-kind="personal">Connect Salesforce</button></div>
${organizationConnect}
</section>
<section class="connections">
${list}
</section>`;
  return layout({ title: 'Connections', page: 'connections', user, body });
}
