import type { Actor } from '../core/actor.ts';
import type { ServiceContext } from '../platform/service-context.ts';
import type { UsersTable } from '../store/schema.ts';
import type { LoginThrottle } from './login-throttle.ts';
import { dummyPasswordHash, verifyPassword } from './passwords.ts';
import { createSession, deleteSession, type NewSession } from './sessions.ts';
import { findUserByEmail, normalizeEmail } from './users.ts';

export interface LoginAttempt {
  email: string;
  password: string;
  /** The client's address (for throttling and the audit log). */
  clientAddress: string;
}

export type LoginOutcome =
  | { kind: 'success'; user: UsersTable; session: NewSession }
  /** Unknown email and wrong password look the same to the caller, on purpose. */
  | { kind: 'invalid_credentials' }
  | { kind: 'disabled' }
  | { kind: 'throttled'; reason: 'email_locked' | 'address_throttled'; retryAfterSeconds: number };

/**
 * Checks a password login and opens a session. Unknown emails still run scrypt (on a dummy hash),
 * so the answer and its timing do not tell whether an account exists.
 */
export async function logIn(
  service: ServiceContext,
  throttle: LoginThrottle,
  attempt: LoginAttempt,
): Promise<LoginOutcome> {
  const { store, audit, logger, now, config } = service;
  const email = normalizeEmail(attempt.email);
  const subject = { email, address: attempt.clientAddress };
  const verdict = await throttle.reserve(subject, now());
  if (!verdict.allowed)
    return { kind: 'throttled', reason: verdict.reason, retryAfterSeconds: verdict.retryAfterSeconds };

  const user = await findUserByEmail(store, email);
  const matches = await verifyPassword(
    attempt.password,
    user?.password_hash ?? dummyPasswordHash(config.PASSWORD_HASH_COST),
  );
  if (!user || !matches) {
    await audit.record({
      actorUserId: null,
      surface: 'web',
      action: 'auth.login.failed',
      outcome: 'failure',
      errorCode: 'invalid_credentials',
      // The typed email is kept only when it is a real account: people sometimes type their
      // password into the email field, and that must not land in the audit log.
      detail: user
        ? { userId: user.id, email, clientAddress: attempt.clientAddress }
        : { unknownEmail: true, clientAddress: attempt.clientAddress },
    });
    if (verdict.locksEmail) {
      logger.warn(
        { userId: user?.id ?? null, clientAddress: attempt.clientAddress },
        'login locked after failures',
      );
      await audit.record({
        actorUserId: null,
        surface: 'system',
        action: 'auth.login.locked',
        outcome: 'denied',
        detail: user ? { userId: user.id, email } : { unknownEmail: true },
      });
    }
    return { kind: 'invalid_credentials' };
  }
  // The password was right: whatever happens next, this was not a guess.
  await throttle.release(subject, now());
  if (user.disabled_at !== null) {
    await audit.record({
      actorUserId: user.id,
      surface: 'web',
      action: 'auth.login.denied',
      outcome: 'denied',
      errorCode: 'account_disabled',
      detail: { userId: user.id, clientAddress: attempt.clientAddress },
    });
    return { kind: 'disabled' };
  }
  const session = await createSession(store, user.id, now());
  await audit.record({
    actorUserId: user.id,
    surface: 'web',
    action: 'auth.login.succeeded',
    outcome: 'success',
    detail: { userId: user.id, clientAddress: attempt.clientAddress },
  });
  return { kind: 'success', user, session };
}

/** Ends the person's browser session (audited as `auth.logout`); nothing to do without one. */
export async function logOut(service: Pick<ServiceContext, 'store' | 'audit'>, actor: Actor): Promise<void> {
  if (!actor.sessionId) return;
  await deleteSession(service.store, actor.sessionId);
  await service.audit.record({
    actorUserId: actor.id,
    surface: 'web',
    action: 'auth.logout',
    outcome: 'success',
    detail: { userId: actor.id },
  });
}
