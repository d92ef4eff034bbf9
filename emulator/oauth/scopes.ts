import { z } from 'zod';

/**
 * The OAuth scopes the emulator knows, in Salesforce's names. An app allows all of them unless it
 * selects some (`ConnectedApp.scopes`); an authorize request without `scope` is granted the app's
 * whole set, as Salesforce grants an app's selected scopes by default.
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

export const scopeSchema = z.enum(ALL_SCOPES);

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

/** The scopes an app may be granted, in canonical order: its selected scopes, or all of them. */
export function appScopes(app: { scopes?: readonly string[] }): Scope[] {
  return app.scopes ? ALL_SCOPES.filter((scope) => app.scopes!.includes(scope)) : [...ALL_SCOPES];
}

/**
 * Parses an authorize request's space-separated `scope`. Omitted or blank means the app's full
 * set; any scope the app doesn't allow makes the whole request invalid. Returned in canonical order.
 */
export function parseScopes(text: string | undefined, allowed: readonly Scope[] = ALL_SCOPES): ScopeParse {
  const requested = (text ?? '').split(/[\s,]+/).filter((scope) => scope !== '');
  if (requested.length === 0) return { scopes: [...allowed] };
  for (const scope of requested) {
    const parsed = scopeSchema.safeParse(scope);
    if (!parsed.success || !allowed.includes(parsed.data)) return { invalid: scope };
  }
  return { scopes: allowed.filter((scope) => requested.includes(scope)) };
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
