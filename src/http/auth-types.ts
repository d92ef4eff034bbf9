import type { Role } from '../store/schema.ts';

/** The person behind a request, as the authentication middleware resolves it. */
export interface AuthenticatedUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** How the request proved who it is: a browser session cookie or a personal API key. */
  method: 'session' | 'api-key';
  /** The session id (hashed token) for cookie sessions; binds OAuth `state` to the session. */
  sessionId: string | null;
}

/** Hono variables set by the middleware (`context.get('user')`). */
export interface AppVariables {
  user: AuthenticatedUser;
}

export interface AppEnvironment {
  Variables: AppVariables;
}
