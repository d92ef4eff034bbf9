import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { logIn, logOut } from '../../accounts/login.ts';
import { LoginThrottle } from '../../accounts/login-throttle.ts';
import { MAX_PASSWORD_LENGTH, newPasswordSchema } from '../../accounts/passwords.ts';
import { sha256Hex } from '../../accounts/secrets.ts';
import { deleteSession, getSession, SESSION_COOKIE } from '../../accounts/sessions.ts';
import { toPublicUser } from '../../accounts/types.ts';
import { changeOwnPassword, getUserRow } from '../../accounts/users.ts';
import { audited, noAudit } from '../../audit/audit-actions.ts';
import type { Actor } from '../../core/actor.ts';
import { ServiceError } from '../../core/errors.ts';
import type { ServiceContext } from '../../platform/service-context.ts';
import {
  clientAddress,
  currentUser,
  isAllowedOrigin,
  requireUser,
  sessionCookieOptions,
} from '../auth-middleware.ts';
import type { AppEnvironment } from '../auth-types.ts';
import { DeclaredRoutes } from '../declared-routes.ts';
import { readJsonBody } from '../request-body.ts';

// Login checks only shape: a real email check would answer "invalid email" faster than scrypt.
const loginSchema = z.strictObject({
  email: z.string().min(1, 'Enter your email.').max(254),
  password: z.string().min(1, 'Enter your password.').max(MAX_PASSWORD_LENGTH),
});

const passwordChangeSchema = z.strictObject({
  currentPassword: z.string().min(1).max(MAX_PASSWORD_LENGTH),
  newPassword: newPasswordSchema,
});

function minutesText(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** Log in and out, who am I, and changing one's own password. */
export function authRoutes(service: ServiceContext): DeclaredRoutes<AppEnvironment> {
  const routes = new DeclaredRoutes<AppEnvironment>();
  const throttle = new LoginThrottle(service.store);

  routes.post(
    '/auth/login',
    audited('auth.login.succeeded', 'auth.login.failed', 'auth.login.locked', 'auth.login.denied'),
    async (context) => {
      // Refuses login CSRF (a page elsewhere logging the browser into the attacker's account).
      if (!isAllowedOrigin(service, context)) {
        throw new ServiceError(403, 'csrf_failed', 'This request came from another site and was refused.');
      }
      const body = await readJsonBody(context, loginSchema);
      const outcome = await logIn(service, throttle, {
        email: body.email,
        password: body.password,
        clientAddress: clientAddress(service, context),
      });
      return loginAnswer(service, context, outcome);
    },
  );

  routes.post('/auth/logout', audited('auth.logout'), async (context) => {
    const user = context.get('user') as Actor | undefined;
    if (user) await logOut(service, user);
    deleteCookie(context, SESSION_COOKIE, { path: '/' });
    return context.body(null, 204);
  });

  routes.get('/me', noAudit('a read: nothing changes'), requireUser, async (context) => {
    const user = currentUser(context);
    const row = await getUserRow(service.store, user.id);
    const session = user.sessionId ? await getSession(service.store, user.sessionId) : undefined;
    return context.json({
      user: toPublicUser(row),
      method: user.surface === 'api' ? 'api-key' : 'session',
      csrfToken: session?.csrf_token ?? null,
    });
  });

  routes.post('/auth/password', audited('user.password_changed'), requireUser, async (context) => {
    const user = currentUser(context);
    const body = await readJsonBody(context, passwordChangeSchema);
    const changed = await changeOwnPassword(
      service,
      user.id,
      { currentPassword: body.currentPassword, newPassword: body.newPassword, keepSessionId: user.sessionId },
      { userId: user.id, surface: user.surface },
    );
    if (!changed) throw new ServiceError(400, 'invalid_credentials', 'The current password is incorrect.');
    return context.body(null, 204);
  });

  return routes;
}

/** The HTTP answer to a login attempt: a session cookie, or why not (429 with Retry-After when throttled). */
async function loginAnswer(
  service: ServiceContext,
  context: Context<AppEnvironment>,
  outcome: Awaited<ReturnType<typeof logIn>>,
): Promise<Response> {
  switch (outcome.kind) {
    case 'throttled': {
      context.header('Retry-After', String(outcome.retryAfterSeconds));
      const message =
        outcome.reason === 'email_locked'
          ? `Too many failed logins for this account. Try again in ${minutesText(outcome.retryAfterSeconds)}.`
          : `Too many failed logins from your network. Try again in ${minutesText(outcome.retryAfterSeconds)}.`;
      return context.json(
        {
          error: {
            code: 'too_many_attempts',
            message,
            details: { retryAfterSeconds: outcome.retryAfterSeconds },
          },
        },
        429,
      );
    }
    case 'invalid_credentials':
      throw new ServiceError(401, 'invalid_credentials', 'The email or password is incorrect.');
    case 'disabled':
      throw new ServiceError(403, 'account_disabled', 'This account is disabled. Ask an admin to enable it.');
    case 'success': {
      // Logging in again replaces the browser's previous session rather than leaving it behind.
      const previous = getCookie(context, SESSION_COOKIE);
      if (previous) await deleteSession(service.store, sha256Hex(previous));
      setCookie(context, SESSION_COOKIE, outcome.session.token, sessionCookieOptions(service));
      return context.json({ user: toPublicUser(outcome.user), csrfToken: outcome.session.csrfToken });
    }
  }
}
