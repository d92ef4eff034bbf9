/** Response helpers shared by the OAuth endpoints (kept here so the OAuth routes never import app.ts). */

export const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': JSON_CONTENT_TYPE, ...headers },
  });
}

/** Salesforce's token-endpoint error: always HTTP 400 with `{error, error_description}`, never cached. */
export function oauthErrorResponse(error: string, description: string): Response {
  return jsonResponse(400, { error, error_description: description }, { 'Cache-Control': 'no-store' });
}

/** The identity service answers failures with a bare word (`Bad_OAuth_Token`, `Bad_Id`), not JSON. */
export function plainTextResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain;charset=UTF-8' } });
}

export function redirectResponse(location: string, headers: Record<string, string> = {}): Response {
  return new Response(null, {
    status: 302,
    headers: { Location: location, 'Cache-Control': 'no-store', ...headers },
  });
}

/** The access token of a request: `Authorization: Bearer|OAuth …`, else the `oauth_token`/`access_token` parameter. */
export function accessTokenOf(request: Request, form?: URLSearchParams): string | undefined {
  const match = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '');
  if (match) return match[1];
  const query = new URL(request.url).searchParams;
  return (
    query.get('oauth_token') ??
    query.get('access_token') ??
    form?.get('oauth_token') ??
    form?.get('access_token') ??
    undefined
  );
}

/** Form parameters of a POST (`application/x-www-form-urlencoded`); other bodies count as empty. */
export async function readForm(request: Request): Promise<URLSearchParams> {
  if (request.method !== 'POST') return new URLSearchParams();
  const contentType = request.headers.get('content-type') ?? '';
  if (!contentType.toLowerCase().startsWith('application/x-www-form-urlencoded'))
    return new URLSearchParams();
  return new URLSearchParams(await request.text());
}

export function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    if (part.slice(0, separator).trim() === name) return decodeURIComponent(part.slice(separator + 1).trim());
  }
  return undefined;
}
