import type { Fetcher } from './oauth-browser.ts';

export interface JsonResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary response shapes
  body: any;
}

/**
 * A browser-like client of the JSON API: keeps the session cookie and sends the CSRF token on
 * writes, or acts as a script with an API key. Every header is the test's to set or leave out.
 */
export class ApiClient {
  readonly #target: { url: string; fetch: Fetcher };
  cookie: string | undefined;
  csrfToken: string | undefined;
  apiKey: string | undefined;

  constructor(target: { url: string; fetch: Fetcher }) {
    this.#target = target;
  }

  async request(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string>; csrf?: boolean } = {},
  ): Promise<JsonResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['Content-Type'] ??= 'application/json';
    if (this.cookie) headers.Cookie = this.cookie;
    if (this.apiKey) headers.Authorization = `Bearer ${this.apiKey}`;
    if (this.cookie && this.csrfToken && options.csrf !== false && method !== 'GET') {
      headers['X-CSRF-Token'] = this.csrfToken;
    }
    const response = await this.#target.fetch(`${this.#target.url}${path}`, {
      method,
      headers,
      body: requestBody(options.body),
    });
    for (const setCookie of response.headers.getSetCookie()) {
      const [pair] = setCookie.split(';');
      if (!pair.startsWith('forcefield_session=')) continue;
      this.cookie = pair === 'forcefield_session=' || /Max-Age=0/i.test(setCookie) ? undefined : pair;
    }
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  }

  async logIn(email: string, password: string): Promise<JsonResponse> {
    const response = await this.request('POST', '/api/auth/login', { body: { email, password } });
    if (response.status === 200) this.csrfToken = response.body.csrfToken;
    return response;
  }
}

/** A request body as sent: a string as it is, anything else as JSON, nothing for undefined. */
export function requestBody(body: unknown): string | undefined {
  if (body === undefined) return undefined;
  return typeof body === 'string' ? body : JSON.stringify(body);
}
