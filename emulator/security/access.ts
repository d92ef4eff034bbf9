import { Schema, type SObjectType } from '../schema/schema.ts';
import type { FieldDefinition, ObjectDefinition, StoredRecord } from '../schema/types.ts';
import type { RecordReader, RecordStore } from '../store/record-store.ts';
import {
  ALWAYS_READABLE,
  builtInProfiles,
  isRestrictableField,
  type ObjectPermissions,
  type Profile,
  type ProfileDefinition,
  resolveProfileDefinition,
} from './profiles.ts';
import { PARENT_FIELDS, resolveSharingModels, type SharingModel, type SharingModels } from './sharing.ts';

const NO_ACCESS: ObjectPermissions = {
  create: false,
  read: false,
  edit: false,
  delete: false,
  viewAll: false,
  modifyAll: false,
};
const READ_ONLY_ACCESS: ObjectPermissions = { ...NO_ACCESS, read: true };
const FULL_ACCESS: ObjectPermissions = {
  create: true,
  read: true,
  edit: true,
  delete: true,
  viewAll: true,
  modifyAll: true,
};

export interface SecurityOptions {
  profiles?: ProfileDefinition[];
  sharingModels?: SharingModels;
}

/** A profile's object permissions, with the org-wide permissions and always-readable objects applied. */
function effectivePermissions(profile: Profile, objectName: string): ObjectPermissions {
  if (profile.modifyAllData) return FULL_ACCESS;
  const listed = profile.objects.get(objectName) ?? NO_ACCESS;
  if (profile.viewAllData) return { ...listed, read: true, viewAll: true };
  if (!listed.read && ALWAYS_READABLE.includes(objectName)) return READ_ONLY_ACCESS;
  return listed;
}

/**
 * The schema as a profile sees it: objects it cannot read are gone, fields hidden by field-level
 * security are gone, and createable/updateable/deletable follow the object permissions and FLS.
 * Everything that resolves names through it (describe, SOQL planning, request bodies, `fields=`)
 * then answers for a hidden field or object exactly as for a nonexistent one, as Salesforce does.
 */
function profileSchema(schema: Schema, profile: Profile): Schema {
  // Modify All Data sees the schema as it is: share it, and with it the SOQL plan cache.
  if (profile.modifyAllData) return schema;
  const readable = (objectName: string) =>
    !schema.object(objectName) || effectivePermissions(profile, objectName).read;
  const definitions: ObjectDefinition[] = [];
  for (const object of schema.objects) {
    const permissions = effectivePermissions(profile, object.name);
    if (!permissions.read) continue;
    const security = profile.fields.get(object.name);
    const fields: FieldDefinition[] = [];
    for (const field of object.fields) {
      const rule = security && isRestrictableField(field) ? security.get(field.name) : undefined;
      if (rule && !rule.readable) continue;
      const editable = rule?.editable ?? true;
      const view: FieldDefinition = {
        ...field,
        createable: field.createable && editable,
        updateable: field.updateable && editable,
      };
      if (field.referenceTo) {
        const targets = field.referenceTo.filter(readable);
        if (targets.length === 0) {
          // A lookup to objects the profile cannot read keeps its id but loses its relationships.
          view.relationshipName = undefined;
          view.childRelationshipName = undefined;
        } else view.referenceTo = targets;
      }
      fields.push(view);
    }
    definitions.push({
      ...object,
      createable: object.createable && permissions.create,
      updateable: object.updateable && permissions.edit,
      deletable: object.deletable && permissions.delete,
      fields,
    });
  }
  return new Schema(definitions);
}

export type RecordPredicate = (record: StoredRecord) => boolean;

/**
 * What one user may do: object permissions, field-level security (through `schema`) and record
 * access (organization-wide defaults + ownership). Built once per user and reused by every request,
 * so the per-request cost is a map lookup; record checks are an owner-id compare for Private objects.
 */
export class AccessContext {
  readonly userId: string;
  readonly profile: Profile;
  /** The schema as this user's profile sees it. */
  readonly schema: Schema;
  /** Reads records through sharing: invisible records read as absent (parent lookups give null). */
  readonly records: RecordReader;
  readonly #security: Security;
  readonly #store: RecordStore;
  readonly #permissions = new Map<string, ObjectPermissions>();
  readonly #readFilters = new Map<string, RecordPredicate | undefined>();

  constructor(security: Security, store: RecordStore, userId: string, profile: Profile, schema: Schema) {
    this.#security = security;
    this.#store = store;
    this.userId = userId;
    this.profile = profile;
    this.schema = schema;
    this.records = profile.viewAllData || profile.modifyAllData ? store : new VisibleRecords(store, this);
  }

  /** The object's permissions for this user (case-sensitive canonical name). */
  permissions(objectName: string): ObjectPermissions {
    let permissions = this.#permissions.get(objectName);
    if (!permissions) {
      permissions = effectivePermissions(this.profile, objectName);
      this.#permissions.set(objectName, permissions);
    }
    return permissions;
  }

  /** The object as this user sees it; undefined when the profile cannot read it (or it does not exist). */
  object(objectName: string): SObjectType | undefined {
    return this.schema.object(objectName);
  }

  /**
   * A predicate for the records of an object this user may read, or undefined when every record
   * is readable (View All, public defaults): the query engine's fast path pays nothing then.
   */
  readFilter(objectName: string): RecordPredicate | undefined {
    if (this.#readFilters.has(objectName)) return this.#readFilters.get(objectName);
    let filter: RecordPredicate | undefined;
    const permissions = this.permissions(objectName);
    if (!permissions.read) filter = () => false;
    else if (!permissions.viewAll) {
      const model = this.#security.sharingModel(objectName);
      if (model === 'Private') filter = (record) => record.OwnerId === this.userId;
      else if (model === 'ControlledByParent')
        filter = (record) => this.#parentAccess(objectName, record, 'read');
    }
    this.#readFilters.set(objectName, filter);
    return filter;
  }

  canRead(objectName: string, record: StoredRecord): boolean {
    const filter = this.readFilter(objectName);
    return filter === undefined || filter(record);
  }

  /** Edit access to an existing record (object Edit permission, then sharing). */
  canEdit(objectName: string, record: StoredRecord): boolean {
    const permissions = this.permissions(objectName);
    if (!permissions.edit) return false;
    if (permissions.modifyAll) return true;
    switch (this.#security.sharingModel(objectName)) {
      case 'ReadWrite':
        return true;
      case 'ControlledByParent':
        return this.#parentAccess(objectName, record, 'edit');
      default:
        return record.OwnerId === this.userId;
    }
  }

  /**
   * Delete access. Salesforce lets only the owner (or Modify All) delete an owned record, even
   * under Public Read/Write; a parent-controlled child is deletable by whoever can edit its parent.
   */
  canDelete(objectName: string, record: StoredRecord): boolean {
    const permissions = this.permissions(objectName);
    if (!permissions.delete) return false;
    if (permissions.modifyAll) return true;
    if (this.#security.sharingModel(objectName) === 'ControlledByParent') {
      return this.#parentAccess(objectName, record, 'edit');
    }
    return (
      record.OwnerId === this.userId || (record.OwnerId === undefined && this.canEdit(objectName, record))
    );
  }

  /** Access to the record an id names, whatever its object. */
  #accessById(id: unknown, level: 'read' | 'edit'): boolean {
    if (typeof id !== 'string' || id === '') return false;
    const found = this.#store.find(id);
    if (!found) return false;
    return level === 'read'
      ? this.canRead(found.object.name, found.record)
      : this.canEdit(found.object.name, found.record);
  }

  /**
   * Parent-controlled access. Activities: their owner, or whoever has that access to the WhatId
   * record (or, with no WhatId, to the WhoId): Salesforce's "Controlled by Parent" for activities,
   * minus its role hierarchy; the owner clause keeps a rep's own reminders (no What, no Who, or a
   * parent they lost access to) theirs. Notes and files: their document's owner, or access to a
   * record the document is linked to. Others: their one parent (PARENT_FIELDS).
   */
  #parentAccess(objectName: string, record: StoredRecord, level: 'read' | 'edit'): boolean {
    switch (objectName) {
      case 'Task':
      case 'Event': {
        if (record.OwnerId === this.userId) return true;
        const related = typeof record.WhatId === 'string' ? record.WhatId : record.WhoId;
        return this.#accessById(related, level);
      }
      case 'ContentNote':
      case 'ContentDocument': {
        if (record.OwnerId === this.userId) return true;
        const links = this.#store
          .table('ContentDocumentLink')
          .lookup('ContentDocumentId', record.Id as string);
        for (const linkId of links ?? []) {
          const link = this.#store.get('ContentDocumentLink', linkId);
          if (link && link.IsDeleted !== true && this.#accessById(link.LinkedEntityId, level)) return true;
        }
        return false;
      }
      case 'ContentDocumentLink': {
        const document = this.#store.get('ContentDocument', record.ContentDocumentId as string);
        if (document?.OwnerId === this.userId) return true;
        return this.#accessById(record.LinkedEntityId, level);
      }
      default:
        return this.#accessById(record[PARENT_FIELDS[objectName] ?? ''], level);
    }
  }
}

/** The store as one user sees it through sharing: what they cannot read reads as absent. */
class VisibleRecords implements RecordReader {
  readonly #store: RecordStore;
  readonly #access: AccessContext;

  constructor(store: RecordStore, access: AccessContext) {
    this.#store = store;
    this.#access = access;
  }

  get(objectName: string, id: string): StoredRecord | undefined {
    const record = this.#store.get(objectName, id);
    return record && this.#access.canRead(objectName, record) ? record : undefined;
  }

  find(id: string): { object: SObjectType; record: StoredRecord } | undefined {
    const found = this.#store.find(id);
    return found && this.#access.canRead(found.object.name, found.record) ? found : undefined;
  }
}

/**
 * An org's security model: its profiles (built-ins, then custom definitions in order), its
 * organization-wide defaults, and one cached AccessContext per user and schema view per profile.
 */
export class Security {
  readonly profiles = new Map<string, Profile>();
  /** Profile name → the id of its Profile record (User.ProfileId), filled in by the org. */
  readonly profileIds = new Map<string, string>();
  readonly #schema: Schema;
  readonly #store: RecordStore;
  readonly #sharingModels: Map<string, SharingModel>;
  readonly #views = new Map<string, Schema>();
  readonly #contexts = new Map<string, AccessContext>();
  readonly #profileOf: (userId: string) => string | undefined;

  constructor(
    schema: Schema,
    store: RecordStore,
    options: SecurityOptions,
    profileOf: (userId: string) => string | undefined,
  ) {
    this.#schema = schema;
    this.#store = store;
    this.#profileOf = profileOf;
    this.#sharingModels = resolveSharingModels(options.sharingModels);
    for (const profile of builtInProfiles(schema.objects.map((object) => object.name))) {
      this.profiles.set(profile.name, profile);
    }
    for (const definition of options.profiles ?? []) {
      const profile = resolveProfileDefinition(schema, definition, this.profiles);
      if (this.profile(profile.name)) throw new Error(`Duplicate profile '${profile.name}'`);
      this.profiles.set(profile.name, profile);
    }
  }

  /** A profile by name, case-insensitively (Salesforce profile names are unique ignoring case). */
  profile(name: string): Profile | undefined {
    const exact = this.profiles.get(name);
    if (exact) return exact;
    const lower = name.toLowerCase();
    for (const profile of this.profiles.values()) if (profile.name.toLowerCase() === lower) return profile;
    return undefined;
  }

  /** Takes over another org's profiles and defaults (loading org data into this org). */
  replaceWith(source: Security): void {
    this.profiles.clear();
    for (const [name, profile] of source.profiles) this.profiles.set(name, profile);
    this.profileIds.clear();
    for (const [name, id] of source.profileIds) this.profileIds.set(name, id);
    this.#sharingModels.clear();
    for (const [objectName, model] of source.#sharingModels) this.#sharingModels.set(objectName, model);
    this.#views.clear();
    this.#contexts.clear();
  }

  sharingModel(objectName: string): SharingModel {
    return this.#sharingModels.get(objectName) ?? 'ReadWrite';
  }

  /** The schema a profile sees, built once per profile. */
  schemaFor(profile: Profile): Schema {
    let view = this.#views.get(profile.name);
    if (!view) {
      view = profileSchema(this.#schema, profile);
      this.#views.set(profile.name, view);
    }
    return view;
  }

  /** The access context of a user (cached: profiles do not change while the org runs). */
  forUser(userId: string): AccessContext {
    let context = this.#contexts.get(userId);
    if (!context) {
      const profileName = this.#profileOf(userId);
      const profile = profileName === undefined ? undefined : this.profile(profileName);
      if (!profile) throw new Error(`No profile for user ${userId}`);
      context = new AccessContext(this, this.#store, userId, profile, this.schemaFor(profile));
      this.#contexts.set(userId, context);
    }
    return context;
  }
}
