import { randomBytes } from 'node:crypto';
import { auditSuccess } from '../../audit/audit-success.ts';
import { type Actor, auditActorOf } from '../../core/actor.ts';
import type { ServiceContext } from '../../platform/service-context.ts';

const INTAKE_SECRET_SETTING = 'meetings.intakeSecret';
const VAULT_CONTEXT = 'workspace:meetings.intakeSecret';

/**
 * The workspace's intake signing secret: made by an admin, shown once, stored encrypted with the
 * vault. Rotating it replaces the old one at once.
 */
export async function rotateIntakeSecret(
  service: Pick<ServiceContext, 'store' | 'vault' | 'audit' | 'now'>,
  actor: Actor,
): Promise<string> {
  const secret = `whsec_${randomBytes(32).toString('base64url')}`;
  const values = {
    key: INTAKE_SECRET_SETTING,
    value: JSON.stringify(service.vault.encrypt(secret, VAULT_CONTEXT)),
    updated_at: new Date(service.now()).toISOString(),
  };
  await service.store.db
    .insertInto('workspace_settings')
    .values(values)
    .onConflict((conflict) =>
      conflict.column('key').doUpdateSet({ value: values.value, updated_at: values.updated_at }),
    )
    .execute();
  await auditSuccess(service.audit, auditActorOf(actor), 'meetings.intake_secret_rotated', {});
  return secret;
}

export async function intakeSecretOf(
  service: Pick<ServiceContext, 'store' | 'vault'>,
): Promise<string | null> {
  const row = await service.store.db
    .selectFrom('workspace_settings')
    .select('value')
    .where('key', '=', INTAKE_SECRET_SETTING)
    .executeTakeFirst();
  return row ? service.vault.decrypt(JSON.parse(row.value), VAULT_CONTEXT) : null;
}
