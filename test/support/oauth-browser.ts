import { createHash, randomBytes } from 'node:crypto';

/** Shared by the OAuth suites: a cookie-keeping browser, HTML form reading, PKCE and token calls. */

export const DEMO_PASSWORD = 'demo1234';

/** How a browser reaches a URL: the network, or an in-process app for some origins. */
export type Fetcher = (url: string, init?: RequestInit) => Promise<Response>;

/** A minimal browser: keeps cookies, never follows redirects, and reads forms out of HTML. */
export class Browser {
  readonly cookies = new Map<string, string>();
  readonly #fetcher: Fetcher;

  constructor(fetcher: Fetcher = fetch) {
    this.#fetcher = fetcher;
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) {
      headers.set('Cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    }
    const response = await this.#fetcher(url, { ...init, headers, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      if (/max-age=0/i.test(cookie) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** Submits the page's form with its hidden fields plus the given fields (like clicking a button). */
  async submit(baseUrl: string, html: string, fields: Record<string, string>): Promise<Response> {
    const form = parseForm(html);
    return this.fetch(new URL(form.action, baseUrl).toString(), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...form.hidden, ...fields }).toString(),
    });
  }
}

export function unescapeHtml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_match, code: string) => String.fromCharCode(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export function parseForm(html: string): { action: string; hidden: Record<string, string> } {
  const action = /<form[^>]*\saction="([^"]*)"/i.exec(html);
  if (!action) throw new Error(`no form in page:\n${html}`);
  const hidden: Record<string, string> = {};
  for (const match of html.matchAll(/<input[^>]*type="hidden"[^>]*>/gi)) {
    const name = /\sname="([^"]*)"/.exec(match[0]);
    const value = /\svalue="([^"]*)"/.exec(match[0]);
    if (name) hidden[unescapeHtml(name[1])] = unescapeHtml(value?.[1] ?? '');
  }
  return { action: unescapeHtml(action[1]), hidden };
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** What a user sees at the end of a browser authorization, step by step. */
export interface AuthorizeOutcome {
  /** The final response: a 302 back to the app, or a page. */
  response: Response;
  /** Where the 302 goes, when it is one. */
  callback: URL | undefined;
  /** Whether the consent page was shown on the way. */
  sawConsent: boolean;
}

/**
 * Walks a browser through authorize: logs in when the login page shows, clicks Allow when the
 * consent page shows, and stops at the first redirect or any other page.
 */
export async function authorizeWithBrowser(
  baseUrl: string,
  authorizeUrl: string,
  options: { browser?: Browser; username?: string; password?: string } = {},
): Promise<AuthorizeOutcome> {
  const browser = options.browser ?? new Browser();
  let sawConsent = false;
  let response = await browser.fetch(authorizeUrl);
  if (response.status === 200) {
    let html = await response.text();
    if (html.includes('name="pw"')) {
      response = await browser.submit(baseUrl, html, {
        action: 'login',
        username: options.username ?? 'alice@acme.demo',
        pw: options.password ?? DEMO_PASSWORD,
      });
      if (response.status === 200) html = await response.text();
    }
    if (response.status === 200 && html.includes('Allow Access?')) {
      sawConsent = true;
      response = await browser.submit(baseUrl, html, { action: 'allow' });
    }
  }
  const location = response.headers.get('location');
  return { response, callback: location ? new URL(location) : undefined, sawConsent };
}

export type TokenBody = Record<string, string>;

/** POSTs form parameters to the token endpoint; answers the status and the JSON body. */
export async function tokenRequest(
  baseUrl: string,
  parameters: Record<string, string>,
): Promise<{ status: number; body: TokenBody }> {
  const response = await fetch(`${baseUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(parameters).toString(),
  });
  return { status: response.status, body: (await response.json()) as TokenBody };
}
