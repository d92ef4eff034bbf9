import { randomBytes } from 'node:crypto';
import { auditSuccess } from '../../audit/audit-success.ts';
import { type Actor, auditActorOf } from '../../core/actor.ts';
import type { ServiceContext } from '../../platform/service-context.ts';
import {
  readWorkspaceSetting,
  WORKSPACE_SETTINGS,
  writeWorkspaceSetting,
} from '../../store/workspace-settings.ts';

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
  const sealed = service.vault.encrypt(secret, VAULT_CONTEXT);
  await writeWorkspaceSetting(service.store, WORKSPACE_SETTINGS.intakeSecret, sealed, service.now());
  await auditSuccess(service.audit, auditActorOf(actor), 'meetings.intake_secret_rotated', {});
  return secret;
}

export async function intakeSecretOf(
  service: Pick<ServiceContext, 'store' | 'vault'>,
): Promise<string | null> {
  const sealed = await readWorkspaceSetting(service.store, WORKSPACE_SETTINGS.intakeSecret);
  return typeof sealed === 'string' ? service.vault.decrypt(sealed, VAULT_CONTEXT) : null;
}
