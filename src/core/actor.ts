/** A workspace member's role: admins manage people, organization connections and agents. */
export type Role = 'member' | 'admin';

/** Where an action came from, as the audit log records it. */
export type AuditSurface = 'web' | 'api' | 'cli' | 'agent' | 'mcp' | 'system';

/**
 * The person a service acts for, whatever surface they came through. Surfaces build it (the HTTP
 * middleware from a session cookie or API key, the CLI from its API key, MCP from its token);
 * services read it and never look at how the request arrived.
 */
export interface Actor {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** How the person reached us: `web` (browser session), `api` (API key), `mcp`, `cli`. */
  surface: AuditSurface;
  /** The browser session id (hashed token) for cookie sessions; binds OAuth `state` to the session. */
  sessionId: string | null;
}

/** Who did something, for the audit log. A null user is the system or the operator's CLI. */
export interface AuditActor {
  userId: string | null;
  surface: AuditSurface;
}

/** The audit view of a person. */
export function auditActorOf(actor: Actor): AuditActor {
  return { userId: actor.id, surface: actor.surface };
}
