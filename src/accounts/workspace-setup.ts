import { ConfigError } from '../core/config.ts';
import { ServiceError } from '../core/errors.ts';
import type { ServiceContext } from '../platform/service-context.ts';
import { addGroupMember, createGroup } from './groups.ts';
import { newPasswordSchema, verifyPassword } from './passwords.ts';
import type { PublicUser } from './types.ts';
import { countUsers, createUser, findUserByEmail } from './users.ts';

const SYSTEM = { userId: null, surface: 'system' } as const;

/**
 * On a fresh workspace, creates the admin named by FORCEFIELD_ADMIN_EMAIL and
 * FORCEFIELD_ADMIN_PASSWORD (for deployments that cannot run `forcefield users create`). Does
 * nothing once any user exists, so the variables can stay set.
 */
export async function ensureInitialAdmin(service: ServiceContext): Promise<PublicUser | null> {
  const { config, store, logger } = service;
  const email = config.FORCEFIELD_ADMIN_EMAIL;
  const password = config.FORCEFIELD_ADMIN_PASSWORD;
  if (!email && !password) return null;
  if (!email || !password) {
    logger.warn('set both FORCEFIELD_ADMIN_EMAIL and FORCEFIELD_ADMIN_PASSWORD to create the first admin');
    return null;
  }
  if ((await countUsers(store)) > 0) return null;
  const checked = newPasswordSchema.safeParse(password);
  if (!checked.success)
    throw new ConfigError(`FORCEFIELD_ADMIN_PASSWORD: ${checked.error.issues[0].message}`);
  try {
    const admin = await createUser(
      service,
      { email, name: email.split('@')[0], role: 'admin', password },
      SYSTEM,
    );
    logger.info({ userId: admin.id, email: admin.email }, 'created the first admin');
    return admin;
  } catch (error) {
    // Another instance starting at the same moment created it first.
    if (error instanceof ServiceError && error.status === 409) return null;
    throw error;
  }
}

export interface DemoLogin {
  email: string;
  password: string;
  name: string;
  role: 'admin' | 'member';
}

/** Known logins for the demo workspace (demo mode only: these passwords are public). */
export const DEMO_LOGINS: readonly DemoLogin[] = [
  { email: 'alice@forcefield.demo', password: 'forcefield-demo', name: 'Alice Admin', role: 'admin' },
  { email: 'bob@forcefield.demo', password: 'forcefield-demo', name: 'Bob Member', role: 'member' },
  { email: 'carol@forcefield.demo', password: 'forcefield-demo', name: 'Carol Member', role: 'member' },
];

/**
 * Demo mode: an empty workspace gets an admin, two members and a "Sales" group with the members.
 * Returns the demo logins that work (all of them after seeding; on later starts, those whose
 * account is still there, enabled, and still has the demo password).
 */
export async function seedDemoWorkspace(service: ServiceContext): Promise<DemoLogin[]> {
  const { store, logger } = service;
  if ((await countUsers(store)) === 0) {
    try {
      const users = await Promise.all(
        DEMO_LOGINS.map((login) =>
          createUser(
            service,
            { email: login.email, name: login.name, role: login.role, password: login.password },
            SYSTEM,
          ),
        ),
      );
      const group = await createGroup(service, 'Sales', SYSTEM);
      for (const user of users.filter((candidate) => candidate.role === 'member')) {
        await addGroupMember(service, group.id, user.id, SYSTEM);
      }
      logger.info({ users: users.map((user) => user.email) }, 'seeded the demo workspace');
      return [...DEMO_LOGINS];
    } catch (error) {
      if (!(error instanceof ServiceError && error.status === 409)) throw error;
      // Another instance seeded it at the same moment: fall through and report what works.
    }
  }
  const working = await Promise.all(
    DEMO_LOGINS.map(async (login) => {
      const user = await findUserByEmail(store, login.email);
      const usable =
        user && user.disabled_at === null && (await verifyPassword(login.password, user.password_hash));
      return usable ? login : null;
    }),
  );
  return working.filter((login) => login !== null);
}
