import { z } from 'zod';

/**
 * The OAuth scopes the emulator's connected apps allow, in Salesforce's names. Every app allows
 * all of them (the demo app's configuration), so an authorize request without `scope` is granted
 * this whole set, as Salesforce grants an app's selected scopes by default.
 */
export const ALL_SCOPES = [
  'api',
  'refresh_token',
  'offline_access',
  'openid',
  'id',
  'profile',
  'email',
  'address',
  'phone',
  'web',
  'full',
] as const;

export type Scope = (typeof ALL_SCOPES)[number];

const scopeSchema = z.enum(ALL_SCOPES);

/** How the consent page words each scope (Salesforce's own labels). */
const SCOPE_LABELS: Record<Scope, string> = {
  api: 'Manage user data via APIs',
  refresh_token: 'Perform requests at any time',
  offline_access: 'Perform requests at any time',
  openid: 'Access unique user identifiers',
  id: 'Access the identity URL service',
  profile: 'Access the identity URL service',
  email: 'Access the identity URL service',
  address: 'Access the identity URL service',
  phone: 'Access the identity URL service',
  web: 'Manage user data via Web browsers',
  full: 'Full access',
};

export type ScopeParse = { scopes: Scope[] } | { invalid: string };

/**
 * Parses an authorize request's space-separated `scope`. Omitted or blank means the app's full
 * set; any scope the app doesn't allow makes the whole request invalid. Returned in canonical order.
 */
export function parseScopes(text: string | undefined): ScopeParse {
  const requested = (text ?? '').split(/[\s,]+/).filter((scope) => scope !== '');
  if (requested.length === 0) return { scopes: [...ALL_SCOPES] };
  for (const scope of requested) {
    if (!scopeSchema.safeParse(scope).success) return { invalid: scope };
  }
  return { scopes: ALL_SCOPES.filter((scope) => requested.includes(scope)) };
}

/** The distinct consent-page lines for a scope set, each with the scopes it covers. */
export function describeScopes(scopes: readonly string[]): Array<{ label: string; scopes: string[] }> {
  const lines = new Map<string, string[]>();
  for (const scope of scopes) {
    const label = SCOPE_LABELS[scope as Scope] ?? scope;
    lines.set(label, [...(lines.get(label) ?? []), scope]);
  }
  return [...lines].map(([label, covered]) => ({ label, scopes: covered }));
}

/** Whether a grant with these scopes gets a refresh token (Salesforce: `refresh_token` or `offline_access`). */
export function grantsRefreshToken(scopes: readonly string[]): boolean {
  return scopes.includes('refresh_token') || scopes.includes('offline_access');
}
