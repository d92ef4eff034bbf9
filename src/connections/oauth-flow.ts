import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Actor } from '../core/actor.ts';
import { badRequest, forbidden, ServiceError } from '../core/errors.ts';
import type { ServiceContext } from '../platform/service-context.ts';
import { OAuthTokenError, SalesforceUnreachableError } from '../salesforce/errors.ts';
import { acceptsInstanceUrl } from '../salesforce/instance-url-policy.ts';
import { resolveLoginHost } from '../salesforce/login-hosts.ts';
import {
  authorizationUrl,
  exchangeAuthorizationCode,
  fetchUserInfo,
  type TokenResponse,
  type UserInfo,
} from '../salesforce/oauth.ts';
import type { OAuthStatesTable } from '../store/schema.ts';
import { oauthStateContext } from '../vault/token-vault.ts';
import { storeConnection } from './store-connection.ts';

/** How long a started connection may take to come back from Salesforce. */
export const OAUTH_STATE_LIFETIME_MS = 10 * 60 * 1000;

export const startConnectionSchema = z.strictObject({
  kind: z.enum(['personal', 'organization']),
  name: z.string().trim().min(1).max(100).optional(),
  loginHost: z.enum(['production', 'sandbox', 'custom']),
  myDomainUrl: z.string().trim().max(300).optional(),
  /**
   * Where the web app sends the browser after the callback: a path on this service only (one
   * leading slash, no scheme or host), so the callback can never redirect to another site.
   */
  returnTo: z
    .string()
    .max(500)
    .regex(/^\/(?![/\\])[^\s\\]*$/, 'must be a path on this service, like /settings/integrations')
    .optional(),
});
export type StartConnectionInput = z.infer<typeof startConnectionSchema>;

export const callbackQuerySchema = z.object({
  code: z.string().min(1).max(2000).optional(),
  state: z.string().min(1).max(200).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
});
export type CallbackQuery = z.infer<typeof callbackQuerySchema>;

/** What the state row remembers about the request (JSON in oauth_states.request). */
const stateRequestSchema = z.object({ name: z.string().optional(), returnTo: z.string().optional() });

function hashState(state: string): string {
  return createHash('sha256').update(state).digest('hex');
}

function oauthError(code: string, message: string): ServiceError {
  return new ServiceError(400, code, message);
}

const START_AGAIN = 'Start connecting again from the Connections page.';

/**
 * Starts the OAuth 2.0 web server flow with PKCE (S256). The state is 32 random bytes, stored
 * only as its SHA-256, bound to the user and their browser session, single use, and valid for
 * 10 minutes; the PKCE verifier is stored encrypted.
 */
export async function startConnection(
  service: ServiceContext,
  user: Actor,
  input: StartConnectionInput,
): Promise<{ authorizationUrl: string }> {
  if (input.kind === 'organization' && user.role !== 'admin') {
    throw forbidden('Only admins can create organization connections. Create a personal connection instead.');
  }
  if (user.sessionId === null) {
    // The callback arrives in a browser: only a browser session can finish what it starts.
    throw badRequest('Connect Salesforce from the web app: the flow finishes in your browser session.');
  }
  const loginHost = resolveLoginHost(service.salesforce, input.loginHost, input.myDomainUrl);
  const state = randomBytes(32).toString('base64url');
  const codeVerifier = randomBytes(32).toString('base64url');
  const stateHash = hashState(state);
  const now = service.now();
  const row: OAuthStatesTable = {
    state_hash: stateHash,
    user_id: user.id,
    session_id: user.sessionId,
    code_verifier: service.vault.encrypt(codeVerifier, oauthStateContext(stateHash)),
    login_host: loginHost,
    connection_kind: input.kind,
    request: JSON.stringify({ name: input.name, returnTo: input.returnTo }),
    created_at: new Date(now).toISOString(),
    expires_at: new Date(now + OAUTH_STATE_LIFETIME_MS).toISOString(),
    used_at: null,
  };
  // Housekeeping: states nobody will ever come back with.
  await service.store.db
    .deleteFrom('oauth_states')
    .where('expires_at', '<', new Date(now - OAUTH_STATE_LIFETIME_MS).toISOString())
    .execute();
  await service.store.db.insertInto('oauth_states').values(row).execute();
  return {
    authorizationUrl: authorizationUrl({
      loginHost,
      settings: service.salesforce,
      state,
      codeVerifier,
      // A service account should be signed in on purpose, not with whatever session the admin has.
      prompt: input.kind === 'organization' ? 'login' : undefined,
    }),
  };
}

/** Salesforce's callback errors, as something a person can act on. */
export function callbackErrorFor(error: string, description: string | undefined): ServiceError {
  switch (error) {
    case 'access_denied':
      return oauthError(
        'salesforce_access_denied',
        `You declined access in Salesforce, so nothing was connected. ${START_AGAIN} and choose Allow.`,
      );
    case 'OAUTH_APPROVAL_ERROR_GENERIC':
      return oauthError(
        'salesforce_app_not_approved',
        'Salesforce has not approved the Forcefield app for your user. A Salesforce admin with the "Approve ' +
          'Uninstalled Connected Apps" permission must connect first; then, in Salesforce Setup, install the app ' +
          'from Connected Apps OAuth Usage and make sure your profile or permission set is allowed to use it.',
      );
    case 'OAUTH_APP_BLOCKED':
      return oauthError(
        'salesforce_app_blocked',
        'A Salesforce admin has blocked the Forcefield app (Setup → Connected Apps OAuth Usage). Ask them to unblock it.',
      );
    case 'invalid_client_id':
    case 'invalid_client':
    case 'invalid_client_credentials':
      return oauthError(
        'salesforce_app_misconfigured',
        'Salesforce does not recognise the Forcefield app. The operator should check SALESFORCE_CLIENT_ID and ' +
          'SALESFORCE_CLIENT_SECRET against the connected app (consumer key and secret), and that the app exists ' +
          'in the org you log in to (or is installed there).',
      );
    case 'redirect_uri_mismatch':
      return oauthError(
        'salesforce_callback_mismatch',
        "Salesforce refused the callback URL. The operator should add this service's callback URL (PUBLIC_URL + " +
          "/api/connections/oauth/callback, or SALESFORCE_CALLBACK_URL) to the connected app's Callback URL list.",
      );
    case 'invalid_scope':
      return oauthError(
        'salesforce_scope_refused',
        "The connected app does not allow the scopes Forcefield asks for. The operator should compare SALESFORCE_SCOPES with the app's selected OAuth scopes.",
      );
    default:
      return oauthError(
        'salesforce_authorization_failed',
        `Salesforce did not authorize the connection (${error}${description ? `: ${description}` : ''}). ${START_AGAIN}`,
      );
  }
}

/** Reads the state row, checks it belongs to this user and session, and spends it (once). */
async function consumeState(service: ServiceContext, user: Actor, state: string): Promise<OAuthStatesTable> {
  const stateHash = hashState(state);
  const row = await service.store.db
    .selectFrom('oauth_states')
    .selectAll()
    .where('state_hash', '=', stateHash)
    .executeTakeFirst();
  if (!row) {
    throw oauthError(
      'oauth_state_invalid',
      `This Salesforce sign-in is not one we started (the state does not match). ${START_AGAIN}`,
    );
  }
  if (row.user_id !== user.id || row.session_id !== user.sessionId) {
    throw oauthError(
      'oauth_state_mismatch',
      `This Salesforce sign-in was started by another user or browser session. ${START_AGAIN}`,
    );
  }
  if (row.used_at !== null) {
    throw oauthError(
      'oauth_state_used',
      `This Salesforce sign-in was already completed or abandoned. ${START_AGAIN}`,
    );
  }
  const now = service.now();
  if (Date.parse(row.expires_at) <= now) {
    throw oauthError(
      'oauth_state_expired',
      `This Salesforce sign-in took longer than 10 minutes and expired. ${START_AGAIN}`,
    );
  }
  // Spent with a conditional update, so two callbacks racing with one state cannot both pass.
  const spent = await service.store.db
    .updateTable('oauth_states')
    .set({ used_at: new Date(now).toISOString() })
    .where('state_hash', '=', stateHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (Number(spent.numUpdatedRows) !== 1) {
    throw oauthError(
      'oauth_state_used',
      `This Salesforce sign-in was already completed or abandoned. ${START_AGAIN}`,
    );
  }
  return row;
}

function tokenExchangeError(error: unknown): ServiceError {
  if (error instanceof OAuthTokenError) {
    if (error.error === 'invalid_grant') {
      return oauthError(
        'oauth_code_invalid',
        `Salesforce did not accept the sign-in (${error.description || 'invalid grant'}); codes are single use and expire quickly. ${START_AGAIN}`,
      );
    }
    return callbackErrorFor(error.error, error.description);
  }
  if (error instanceof SalesforceUnreachableError) {
    return new ServiceError(502, 'salesforce_unreachable', `${error.message} Try again in a moment.`);
  }
  throw error;
}

/**
 * Exchanges the code with the PKCE verifier and reads who the tokens act as; refuses answers the
 * connection could not live with (no refresh token, a non-https instance other than a loopback emulator).
 */
async function exchangeCallbackCode(
  service: ServiceContext,
  state: OAuthStatesTable,
  code: string,
  fail: (error: ServiceError) => Promise<ServiceError>,
): Promise<{ tokens: TokenResponse & { refresh_token: string }; userInfo: UserInfo }> {
  const codeVerifier = service.vault.decrypt(state.code_verifier, oauthStateContext(state.state_hash));
  const fetchFunction = service.salesforceSessions.fetch;
  let tokens: TokenResponse;
  let userInfo: UserInfo;
  try {
    tokens = await exchangeAuthorizationCode(fetchFunction, service.salesforce, {
      loginHost: state.login_host,
      code: code,
      codeVerifier,
    });
    const identity = await fetchUserInfo(fetchFunction, {
      instanceUrl: tokens.instance_url,
      accessToken: tokens.access_token,
    });
    if (identity.status !== 'ok')
      throw new SalesforceUnreachableError('Salesforce refused the new access token for userinfo.');
    userInfo = identity.userInfo;
  } catch (error) {
    throw await fail(tokenExchangeError(error));
  }
  if (!tokens.refresh_token) {
    throw await fail(
      oauthError(
        'salesforce_no_refresh_token',
        'Salesforce issued no refresh token, so the connection would stop working within hours. The operator ' +
          'should add the "refresh_token, offline_access" scope to the connected app and to SALESFORCE_SCOPES.',
      ),
    );
  }
  const embedded = service.salesforce.embedded;
  if (!acceptsInstanceUrl({ loginHost: state.login_host, instanceUrl: tokens.instance_url, embedded })) {
    throw await fail(
      oauthError(
        'salesforce_instance_insecure',
        'Salesforce returned an instance URL that is not https (http is accepted only from an emulator on a loopback address).',
      ),
    );
  }

  return { tokens: { ...tokens, refresh_token: tokens.refresh_token }, userInfo };
}

/**
 * Finishes the flow: checks the state, exchanges the code with the PKCE verifier, reads who the
 * tokens act as, and stores the connection with encrypted tokens. Connecting the same Salesforce
 * user again (as the same person for personal connections) renews that connection instead of
 * adding a duplicate.
 */
export async function completeConnection(
  service: ServiceContext,
  user: Actor,
  query: CallbackQuery,
): Promise<{ connectionId: string; reconnected: boolean; returnTo?: string }> {
  const surface = user.surface;
  const fail = async (error: ServiceError, detail: Record<string, string> = {}) => {
    await service.audit.record({
      actorUserId: user.id,
      surface,
      action: 'connection.created',
      outcome: 'failure',
      errorCode: error.code,
      detail,
    });
    return error;
  };
  if (!query.state) {
    throw query.error
      ? await fail(callbackErrorFor(query.error, query.error_description))
      : oauthError('oauth_state_missing', `The callback has no state parameter. ${START_AGAIN}`);
  }
  const state = await consumeState(service, user, query.state);
  if (query.error)
    throw await fail(callbackErrorFor(query.error, query.error_description), {
      salesforceError: query.error,
    });
  if (!query.code)
    throw await fail(
      oauthError('oauth_code_missing', `Salesforce sent no authorization code. ${START_AGAIN}`),
    );

  const { tokens, userInfo } = await exchangeCallbackCode(service, state, query.code, (error) => fail(error));
  const request = stateRequestSchema.safeParse(JSON.parse(state.request));
  const { connectionId, existing } = await storeConnection({
    service,
    user,
    state,
    requestedName: request.success ? request.data.name : undefined,
    tokens,
    userInfo,
  });
  const kind = state.connection_kind;
  await service.audit.record({
    actorUserId: user.id,
    connectionId,
    surface,
    action: existing ? 'connection.reconnected' : 'connection.created',
    outcome: 'success',
    detail: {
      kind,
      salesforceOrgId: userInfo.organization_id,
      salesforceUserId: userInfo.user_id,
      loginHost: state.login_host,
    },
  });
  const returnTo = request.success ? request.data.returnTo : undefined;
  return { connectionId, reconnected: existing !== undefined, ...(returnTo ? { returnTo } : {}) };
}
