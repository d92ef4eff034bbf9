import { z } from 'zod';
import { isAllowedRedirectUri, OAuthFailure } from '../accounts/mcp-oauth.ts';
import type { GuardedFetch } from './guarded-fetch.ts';

/**
 * Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document, as the MCP
 * authorization spec uses them): a client whose `client_id` is an https URL is described by the
 * JSON document at that URL. The document must name itself (`client_id` equal to the URL), list
 * its redirect URIs, and be a public client (no secrets). Fetched with a size and time limit
 * through a fetch that cannot reach private addresses, and cached as its HTTP caching headers say,
 * within bounds.
 */

/** Documents are small; the draft suggests 5 KB as a limit. */
export const MAX_DOCUMENT_BYTES = 5 * 1024;
export const FETCH_TIMEOUT_MS = 5_000;
/** Without caching headers a document is kept this long; with them, never longer than the maximum. */
export const DEFAULT_CACHE_MS = 10 * 60 * 1000;
export const MAX_CACHE_MS = 24 * 60 * 60 * 1000;
const MAX_CACHED_DOCUMENTS = 500;

export interface ClientMetadata {
  clientId: string;
  name: string;
  redirectUris: string[];
}

const documentSchema = z.looseObject({
  client_id: z.string(),
  client_name: z.string().max(200).optional(),
  redirect_uris: z.array(z.string().max(2000)).min(1).max(20),
  token_endpoint_auth_method: z.literal('none').optional(),
  grant_types: z.array(z.string()).optional(),
  response_types: z.array(z.string()).optional(),
});

/** Whether a client_id is a metadata document URL (rather than an id this server issued). */
export function isMetadataDocumentClientId(clientId: string): boolean {
  return clientId.startsWith('https://');
}

/** The URL rules of the draft: https, a path, no fragment, no credentials, no dot segments. */
function checkClientIdUrl(clientId: string): URL {
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    throw new OAuthFailure('invalid_client', 'The client_id is not a valid URL.');
  }
  const rawPath = clientId.slice(clientId.indexOf('//') + 2).replace(/^[^/]*/, '');
  if (
    url.protocol !== 'https:' ||
    url.pathname === '/' ||
    url.hash !== '' ||
    clientId.includes('#') ||
    url.username !== '' ||
    url.password !== '' ||
    /(^|\/)\.\.?(\/|$)/.test(rawPath.split('?')[0]) ||
    clientId.length > 2000
  ) {
    throw new OAuthFailure(
      'invalid_client',
      'A URL client_id must be an https URL with a path, without fragment, credentials or dot segments.',
    );
  }
  return url;
}

/** How long a response may be reused, from Cache-Control (or Expires), within [0, MAX_CACHE_MS]. */
export function cacheLifetimeMs(headers: Headers, now: number): number {
  const control = (headers.get('cache-control') ?? '').toLowerCase();
  if (/(^|,)\s*(no-store|no-cache|private)\s*(,|$)/.test(control)) return 0;
  const maxAge = /(?:^|,)\s*(?:s-maxage|max-age)\s*=\s*"?(\d+)"?/.exec(control);
  if (maxAge) return Math.min(Number(maxAge[1]) * 1000, MAX_CACHE_MS);
  const expires = headers.get('expires');
  if (expires !== null) {
    const at = Date.parse(expires);
    return Number.isNaN(at) ? 0 : Math.max(0, Math.min(at - now, MAX_CACHE_MS));
  }
  return DEFAULT_CACHE_MS;
}

async function readLimited(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > limit)
    throw new OAuthFailure('invalid_client', 'The client metadata document is too large.');
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new OAuthFailure('invalid_client', 'The client metadata document is too large.');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export class ClientMetadataDocuments {
  readonly #fetch: GuardedFetch;
  readonly #now: () => number;
  readonly #cache = new Map<string, { metadata: ClientMetadata; until: number }>();
  readonly #inFlight = new Map<string, Promise<ClientMetadata>>();

  constructor(options: { fetch: GuardedFetch; now: () => number }) {
    this.#fetch = options.fetch;
    this.#now = options.now;
  }

  /** The client described at `clientId`: from the cache while it is fresh, else fetched once. */
  async resolve(clientId: string): Promise<ClientMetadata> {
    const url = checkClientIdUrl(clientId);
    const cached = this.#cache.get(clientId);
    if (cached && cached.until > this.#now()) return cached.metadata;
    this.#cache.delete(clientId);
    const running = this.#inFlight.get(clientId);
    if (running) return running;
    const fetching = this.#fetchDocument(clientId, url).finally(() => this.#inFlight.delete(clientId));
    this.#inFlight.set(clientId, fetching);
    return fetching;
  }

  async #fetchDocument(clientId: string, url: URL): Promise<ClientMetadata> {
    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(url.toString(), { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      if (response.status !== 200) {
        await response.body?.cancel();
        throw new OAuthFailure(
          'invalid_client',
          `The client metadata document answered HTTP ${response.status} (redirects are not followed).`,
        );
      }
      text = await readLimited(response, MAX_DOCUMENT_BYTES);
    } catch (error) {
      if (error instanceof OAuthFailure) throw error;
      throw new OAuthFailure(
        'invalid_client',
        `The client metadata document could not be fetched (${error instanceof Error ? error.name : 'error'}).`,
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new OAuthFailure('invalid_client', 'The client metadata document is not JSON.');
    }
    const parsed = documentSchema.safeParse(body);
    if (!parsed.success) {
      throw new OAuthFailure(
        'invalid_client',
        `The client metadata document is not valid: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
      );
    }
    const document = parsed.data;
    if (document.client_id !== clientId) {
      throw new OAuthFailure('invalid_client', 'The client metadata document names a different client_id.');
    }
    if ('client_secret' in document || 'client_secret_expires_at' in document) {
      throw new OAuthFailure('invalid_client', 'A client metadata document may not carry a client secret.');
    }
    if (!document.redirect_uris.every(isAllowedRedirectUri)) {
      throw new OAuthFailure(
        'invalid_client',
        'The client metadata document lists a redirect URI that is not https or http on localhost.',
      );
    }
    const metadata: ClientMetadata = {
      clientId,
      name: document.client_name?.trim() || url.hostname,
      redirectUris: document.redirect_uris,
    };
    const now = this.#now();
    const lifetime = cacheLifetimeMs(response.headers, now);
    if (lifetime > 0) {
      this.#cache.set(clientId, { metadata, until: now + lifetime });
      while (this.#cache.size > MAX_CACHED_DOCUMENTS) {
        const oldest = this.#cache.keys().next().value as string;
        this.#cache.delete(oldest);
      }
    }
    return metadata;
  }
}
