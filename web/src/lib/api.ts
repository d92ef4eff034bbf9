/**
 * The one way the app talks to the service: same-origin fetch with the session cookie, the CSRF
 * token on writes, and errors as `ApiError` with the API's stable code, message and details.
 */

export interface FieldIssue {
  path?: string;
  field?: string | null;
  code?: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  constructor(status: number, code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | undefined;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the session is gone (expired or logged out elsewhere) on any request. */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

/** The headers every call sends: JSON, and the CSRF token on writes. */
export function apiHeaders(method: string, hasBody: boolean): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (hasBody) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  return headers;
}

export async function api<T>(
  path: string,
  { method = 'GET', body, query }: { method?: string; body?: unknown; query?: Record<string, string> } = {},
): Promise<T> {
  const search = query ? `?${new URLSearchParams(query)}` : '';
  const headers = apiHeaders(method, body !== undefined);
  let response: Response;
  try {
    response = await fetch(`/api${path}${search}`, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new ApiError(
      0,
      'network_error',
      'Forcefield cannot be reached. Check your connection and try again.',
    );
  }
  if (response.status === 204) return undefined as T;
  const payload: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = (
      payload as { error?: { code?: string; message?: string; details?: Record<string, unknown> } }
    )?.error;
    const apiError = new ApiError(
      response.status,
      error?.code ?? 'http_error',
      error?.message ?? `The request failed (HTTP ${response.status}).`,
      error?.details,
    );
    if (response.status === 401 && path !== '/auth/login' && path !== '/me') onUnauthorized?.();
    throw apiError;
  }
  return payload as T;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : 'Something went wrong.';
}
