// The minimal web front's only script (served from /assets/app.js so the CSP can forbid inline
// script). Every write goes through the JSON API with the session's CSRF token from GET /api/me.
// Text from the API is only ever set with textContent, never as HTML.

const FLASH_KEY = 'forcefield.flash';

/** Calls the JSON API; answers { ok, status, body } and never throws for HTTP errors. */
async function callApi(method, path, body, csrfToken) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  // Default fetch mode on purpose: with Referrer-Policy no-referrer, only CORS-mode requests keep
  // a real Origin header, which the API's same-origin check needs.
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let parsed = null;
  const text = await response.text();
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  return { ok: response.ok, status: response.status, body: parsed };
}

/** The API's error message, with the first validation issue when there is one. */
function errorMessage(result) {
  const error = result.body?.error;
  if (!error) return `The request failed (HTTP ${result.status}).`;
  const issue = error.details?.issues?.[0];
  return issue ? `${error.message} ${issue.path}: ${issue.message}` : error.message;
}

function showBanner(element, kind, text) {
  element.className = `banner ${kind}`;
  element.textContent = text;
  element.hidden = false;
}

let csrfTokenPromise;
/** The session's CSRF token, fetched once per page; null when the session is gone. */
function csrfToken() {
  csrfTokenPromise ??= callApi('GET', '/api/me').then((result) => (result.ok ? result.body.csrfToken : null));
  return csrfTokenPromise;
}

/** A write on behalf of the signed-in user; a lost session goes back to the login page. */
async function write(method, path, body) {
  const token = await csrfToken();
  if (!token) {
    window.location.assign('/login');
    return { ok: false, status: 401, body: null };
  }
  return callApi(method, path, body, token);
}

function setUpLogin() {
  const form = document.getElementById('login-form');
  const errorBanner = document.getElementById('login-error');
  for (const button of document.querySelectorAll('[data-fill-email]')) {
    button.addEventListener('click', () => {
      form.elements.email.value = button.dataset.fillEmail;
      form.elements.password.value = button.dataset.fillPassword;
      form.querySelector('button[type="submit"]').focus();
    });
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const submit = form.querySelector('button[type="submit"]');
    submit.disabled = true;
    errorBanner.hidden = true;
    try {
      const result = await callApi('POST', '/api/auth/login', {
        email: form.elements.email.value.trim(),
        password: form.elements.password.value,
      });
      if (result.ok) {
        window.location.assign('/connections');
        return;
      }
      showBanner(errorBanner, 'error', errorMessage(result));
    } catch {
      showBanner(errorBanner, 'error', 'Forcefield could not be reached. Check your network and try again.');
    } finally {
      submit.disabled = false;
    }
  });
}

function renderCheck(container, check) {
  container.replaceChildren();
  const parts = [
    ['Identity', check.identity],
    ['API access', check.api],
    ['API limits', check.limits],
  ];
  const list = document.createElement('ul');
  for (const [label, part] of parts) {
    const item = document.createElement('li');
    item.className = part.ok ? 'ok' : 'failed';
    const title = document.createElement('strong');
    title.textContent = `${part.ok ? '✓' : '✗'} ${label}: `;
    item.append(title, document.createTextNode(part.hint));
    list.append(item);
  }
  container.append(list);
  container.hidden = false;
}

function setUpConnections() {
  const message = document.getElementById('action-message');
  const flash = sessionStorage.getItem(FLASH_KEY);
  if (flash) {
    sessionStorage.removeItem(FLASH_KEY);
    const { kind, text } = JSON.parse(flash);
    showBanner(message, kind, text);
  }
  // The query string's banner (connected / error) has been shown; a reload should not show it again.
  if (window.location.search) window.history.replaceState(null, '', window.location.pathname);

  const loginHost = document.getElementById('login-host');
  const myDomainUrl = document.getElementById('my-domain-url');
  loginHost?.addEventListener('change', () => {
    myDomainUrl.hidden = loginHost.value !== 'custom';
  });

  document.addEventListener('click', async (event) => {
    const button = event.target.closest('button[data-action]');
    if (!button || button.dataset.action === 'logout') return;
    const { action, connectionId } = button.dataset;
    button.disabled = true;
    try {
      if (action === 'connect') {
        const nameInput = button.dataset.nameFrom ? document.getElementById(button.dataset.nameFrom) : null;
        const name = (nameInput ? nameInput.value : (button.dataset.name ?? '')).trim();
        const body = { kind: button.dataset.kind, loginHost: loginHost ? loginHost.value : 'production' };
        if (name) body.name = name;
        if (body.loginHost === 'custom') body.myDomainUrl = myDomainUrl.value.trim();
        const result = await write('POST', '/api/connections/oauth/start', body);
        if (result.ok) {
          // On to Salesforce's login page; Salesforce sends the browser back to /connections.
          window.location.assign(result.body.authorizationUrl);
          return;
        }
        showBanner(message, 'error', errorMessage(result));
      } else if (action === 'check') {
        const container = button.closest('.connection').querySelector('[data-check-result]');
        container.hidden = false;
        container.textContent = 'Checking…';
        const result = await write('POST', `/api/connections/${encodeURIComponent(connectionId)}/check`);
        if (result.ok) renderCheck(container, result.body);
        else container.textContent = errorMessage(result);
      } else if (action === 'disconnect') {
        const confirmed = window.confirm(
          `Disconnect “${button.dataset.name}”? Forcefield deletes its tokens and asks Salesforce to revoke them.`,
        );
        if (!confirmed) return;
        const result = await write('DELETE', `/api/connections/${encodeURIComponent(connectionId)}`);
        if (result.ok) {
          sessionStorage.setItem(FLASH_KEY, JSON.stringify({ kind: 'success', text: result.body.message }));
          window.location.reload();
          return;
        }
        showBanner(message, 'error', errorMessage(result));
      }
    } catch {
      showBanner(message, 'error', 'Forcefield could not be reached. Check your network and try again.');
    } finally {
      button.disabled = false;
    }
  });
}

function setUpLogout() {
  const button = document.querySelector('button[data-action="logout"]');
  button?.addEventListener('click', async () => {
    button.disabled = true;
    await write('POST', '/api/auth/logout').catch(() => undefined);
    window.location.assign('/login');
  });
}

document.addEventListener('DOMContentLoaded', () => {
  setUpLogout();
  if (document.body.dataset.page === 'login') setUpLogin();
  if (document.body.dataset.page === 'connections') setUpConnections();
});
