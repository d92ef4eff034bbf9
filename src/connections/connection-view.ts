import type { Actor } from '../core/actor.ts';
import type { ConnectionKind, ConnectionStatus } from '../store/schema.ts';
import { type ConnectionRow, canManage } from './access.ts';

export interface ConnectionShares {
  users: string[];
  groups: string[];
  team: boolean;
}

/** A connection as the API shows it: never tokens. */
export interface ConnectionView {
  id: string;
  kind: ConnectionKind;
  name: string;
  status: ConnectionStatus;
  createdBy: string;
  createdAt: string;
  salesforce: {
    orgId: string;
    userId: string;
    username: string;
    displayName: string;
    email: string | null;
    instanceUrl: string;
    loginHost: string;
    identityUrl: string;
  };
  scopes: string[];
  lastUsedAt: string | null;
  tokenRefreshedAt: string | null;
  apiUsage: { used: number; max: number; at: string } | null;
  /** Whether the caller may share or disconnect it. */
  canManage: boolean;
  /** Organization connections, for those who manage them. */
  shares?: ConnectionShares;
}

export function parseScopes(text: string): string[] {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter((scope): scope is string => typeof scope === 'string') : [];
  } catch {
    return text.split(/\s+/).filter(Boolean);
  }
}

export function toConnectionView(
  row: ConnectionRow,
  user: Pick<Actor, 'id' | 'role'>,
  shares?: ConnectionShares,
): ConnectionView {
  const manage = canManage(row, user);
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    status: row.status,
    createdBy: row.created_by,
    createdAt: row.created_at,
    salesforce: {
      orgId: row.salesforce_org_id,
      userId: row.salesforce_user_id,
      username: row.username,
      displayName: row.display_name,
      email: row.email,
      instanceUrl: row.instance_url,
      loginHost: row.login_host,
      identityUrl: row.identity_url,
    },
    scopes: parseScopes(row.scopes),
    lastUsedAt: row.last_used_at,
    tokenRefreshedAt: row.token_refreshed_at,
    apiUsage:
      row.api_usage_used !== null && row.api_usage_max !== null && row.api_usage_at !== null
        ? { used: row.api_usage_used, max: row.api_usage_max, at: row.api_usage_at }
        : null,
    canManage: manage,
    ...(manage && row.kind === 'organization' && shares ? { shares } : {}),
  };
}
