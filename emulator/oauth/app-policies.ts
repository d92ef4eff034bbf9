import type { ConnectedApp, Org } from '../org/org.ts';

/**
 * The connected-app policies the OAuth endpoints enforce, and the words Salesforce uses when one
 * of them refuses. Kept together so the authorize redirect and the token endpoint never disagree.
 */

/** Authorize, on a blocked app: Salesforce redirects to the callback with these. */
export const APP_BLOCKED_REDIRECT = {
  error: 'OAUTH_APP_BLOCKED',
  description: 'this app is blocked by admin',
} as const;

/**
 * Authorize, for a user an admin-approved app does not pre-authorize: Salesforce stops before
 * the approval page with its generic approval error (typo included, it is Salesforce's text).
 */
export const NOT_PRE_AUTHORIZED_REDIRECT = {
  error: 'OAUTH_APPROVAL_ERROR_GENERIC',
  description: 'An unexpected error has occured during authentication. Please try again.',
} as const;

/** Token endpoint (any grant), for a user the admin-approved app does not pre-authorize. */
export const NOT_PRE_AUTHORIZED_GRANT = {
  error: 'invalid_grant',
  description: "user hasn't approved this consumer",
} as const;

/** Token endpoint (any grant), on a blocked app. */
export const APP_BLOCKED_GRANT = {
  error: 'invalid_grant',
  description: 'this app is blocked by admin',
} as const;

export function isAdminApproved(app: ConnectedApp): boolean {
  return app.permittedUsers === 'admin-approved-preauthorized';
}

/**
 * Whether the user may use the app at all: every user on a self-authorize app; on an
 * admin-approved app, only users of a pre-authorized profile or named one by one. Read live from
 * the app, so a changed policy applies to the next grant and refresh.
 */
export function isUserPermitted(org: Org, app: ConnectedApp, userId: string): boolean {
  if (!isAdminApproved(app)) return true;
  const profile = org.profileOf(userId);
  if (profile !== undefined && (app.preAuthorizedProfiles ?? []).includes(profile)) return true;
  const username = org.user(userId)?.Username;
  if (typeof username !== 'string') return false;
  const lowered = username.toLowerCase();
  return (app.preAuthorizedUsernames ?? []).some((allowed) => allowed.toLowerCase() === lowered);
}
