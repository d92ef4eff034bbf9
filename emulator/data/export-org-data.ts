import type { ConnectedApp, Org } from '../org/org.ts';
import type { CustomSchema } from '../schema/custom-schema.ts';
import type { StoredRecord } from '../schema/types.ts';
import {
  type Profile,
  type ProfileDefinition,
  READ_ONLY,
  STANDARD_USER,
  SYSTEM_ADMINISTRATOR,
} from '../security/profiles.ts';
import type { SharingModels } from '../security/sharing.ts';
import { ORG_DATA_FORMAT, ORG_DATA_VERSION } from './org-data-format.ts';

export interface ExportedUser {
  id: string;
  username: string;
  firstName: string;
  lastName: string;
  profile: string;
  title?: string;
  active: boolean;
  passwordHash: string | undefined;
}

/** What exportOrgData writes: a document createOrgFromData reads back, users with hashed passwords. */
export interface ExportedOrgData {
  format: typeof ORG_DATA_FORMAT;
  version: typeof ORG_DATA_VERSION;
  name: string;
  settings: { sessionTimeoutSeconds: number; dailyApiRequestLimit: number; sharingModels: SharingModels };
  profiles: ProfileDefinition[];
  users: ExportedUser[];
  connectedApps: ConnectedApp[];
  customObjects?: CustomSchema['customObjects'];
  customFields?: CustomSchema['customFields'];
  records: Record<string, StoredRecord[]>;
}

/** Objects the document describes outside `records` (users, the org's name). */
const NOT_EXPORTED_AS_RECORDS = new Set(['User', 'Organization', 'Profile']);
const BUILT_IN_PROFILES = new Set([SYSTEM_ADMINISTRATOR, STANDARD_USER, READ_ONLY]);
const CONFIGURABLE_SHARING = ['Account', 'Contact', 'Lead', 'Opportunity', 'Case'] as const;

/**
 * A resolved custom profile written out in full (no `basedOn`): the saved file then means the
 * same thing even if a later emulator changes the built-in profile it was based on.
 */
function profileDefinitionOf(profile: Profile): ProfileDefinition {
  const fields: NonNullable<ProfileDefinition['fields']> = {};
  for (const [objectName, byField] of profile.fields)
    for (const [fieldName, permissions] of byField) fields[`${objectName}.${fieldName}`] = { ...permissions };
  return {
    name: profile.name,
    ...(profile.description === null ? {} : { description: profile.description }),
    viewAllData: profile.viewAllData,
    modifyAllData: profile.modifyAllData,
    // Only the permissions granted: omitted ones are false, and an object with none is left out.
    objects: Object.fromEntries(
      [...profile.objects]
        .map(([objectName, permissions]) => [
          objectName,
          Object.fromEntries(Object.entries(permissions).filter(([, granted]) => granted)),
        ])
        .filter(([, granted]) => Object.keys(granted).length > 0),
    ),
    fields,
  };
}

/**
 * The org as an org data document: settings, users (salted password hashes, never plain
 * passwords), connected apps, and every record by object, soft-deleted ones included (flagged
 * IsDeleted) with their ids, so references between records survive a round trip.
 *
 * Records are the store's own objects, not copies (the store replaces records, never mutates
 * them, so a snapshot costs no memory): callers must not mutate them.
 */
export function exportOrgData(org: Org): ExportedOrgData {
  const users = [...org.store.table('User').records.values()].map((user): ExportedUser => {
    const id = user.Id as string;
    return {
      id,
      username: user.Username as string,
      firstName: user.FirstName as string,
      lastName: user.LastName as string,
      profile: org.profileOf(id) as string,
      ...(typeof user.Title === 'string' ? { title: user.Title } : {}),
      active: user.IsActive === true,
      passwordHash: org.passwordHashOf(id),
    };
  });
  const records: Record<string, StoredRecord[]> = {};
  for (const object of org.schema.objects) {
    if (NOT_EXPORTED_AS_RECORDS.has(object.name)) continue;
    const table = org.store.table(object.name);
    if (table.records.size > 0) records[object.name] = [...table.records.values()];
  }
  return {
    format: ORG_DATA_FORMAT,
    version: ORG_DATA_VERSION,
    name: org.name,
    settings: {
      sessionTimeoutSeconds: org.sessionTimeoutSeconds,
      dailyApiRequestLimit: org.apiUsage.max,
      sharingModels: Object.fromEntries(
        CONFIGURABLE_SHARING.map((objectName) => [objectName, org.security.sharingModel(objectName)]),
      ),
    },
    profiles: [...org.security.profiles.values()]
      .filter((profile) => !BUILT_IN_PROFILES.has(profile.name))
      .map(profileDefinitionOf),
    users,
    connectedApps: [...org.apps.values()].map((app) => ({ ...app })),
    // Only when there are any: a file without custom schema stays as it was.
    ...(org.customSchema.customObjects.length > 0 ? { customObjects: org.customSchema.customObjects } : {}),
    ...(Object.keys(org.customSchema.customFields).length > 0
      ? { customFields: org.customSchema.customFields }
      : {}),
    records,
  };
}
