import { z } from 'zod';

/**
 * Organization-wide defaults (Salesforce's "sharing settings"): the baseline record access of
 * users who do not own a record. Values are the Metadata API's `sharingModel` names.
 *
 * - `ReadWrite` (Public Read/Write): everyone with object access reads and edits every record.
 * - `Read` (Public Read Only): everyone reads; only the owner (or Modify All) edits.
 * - `Private`: only the owner (or View All / Modify All) sees the record at all.
 * - `ControlledByParent`: access follows the record(s) the child belongs to (see access.ts).
 *
 * The emulator has no role hierarchy, sharing rules or manual shares: ownership and the
 * View All / Modify All permissions are the only ways past the default.
 */
export type SharingModel = 'Private' | 'Read' | 'ReadWrite' | 'ControlledByParent';

const configurableModel = z.enum(['Private', 'Read', 'ReadWrite']).optional();

/** The defaults an org can change: the top-level sales objects (their children's are fixed). */
export const sharingModelsSchema = z
  .object({
    Account: configurableModel,
    Contact: configurableModel,
    Lead: configurableModel,
    Opportunity: configurableModel,
    Case: configurableModel,
  })
  .strict();

export type SharingModels = z.input<typeof sharingModelsSchema>;

/**
 * The emulator's defaults. Opportunity is Private, as most sales orgs set it (reps see their own
 * pipeline); the other sales objects stay Public Read/Write, Salesforce's default for a new org.
 * Users, the organization and profiles are readable by everyone and writable by no API user.
 */
export const DEFAULT_SHARING_MODELS: Readonly<Record<string, SharingModel>> = {
  Account: 'ReadWrite',
  Contact: 'ReadWrite',
  Lead: 'ReadWrite',
  Opportunity: 'Private',
  Case: 'ReadWrite',
  OpportunityContactRole: 'ControlledByParent',
  Task: 'ControlledByParent',
  Event: 'ControlledByParent',
  Note: 'ControlledByParent',
  ContentNote: 'ControlledByParent',
  ContentDocument: 'ControlledByParent',
  ContentDocumentLink: 'ControlledByParent',
  User: 'Read',
  Organization: 'Read',
  Profile: 'Read',
};

/** Children whose access is exactly their one parent's: the lookup that names the parent. */
export const PARENT_FIELDS: Readonly<Record<string, string>> = {
  OpportunityContactRole: 'OpportunityId',
  Note: 'ParentId',
  ContentDocumentLink: 'LinkedEntityId',
};

/** The org's effective defaults: the emulator's, with the org's choices over them. */
export function resolveSharingModels(input: SharingModels | undefined): Map<string, SharingModel> {
  const parsed = sharingModelsSchema.safeParse(input ?? {});
  if (!parsed.success) throw new Error(`Invalid sharing models: ${z.prettifyError(parsed.error)}`);
  const models = new Map<string, SharingModel>(Object.entries(DEFAULT_SHARING_MODELS));
  for (const [objectName, model] of Object.entries(parsed.data)) if (model) models.set(objectName, model);
  return models;
}
