import { dmlError, notFound, SalesforceApiError } from '../core/errors.ts';
import { normalizeId } from '../core/ids.ts';
import type { Org } from '../org/org.ts';
import type { Field, SObjectType } from '../schema/schema.ts';
import type { StoredRecord } from '../schema/types.ts';
import type { AccessContext } from '../security/access.ts';
import { PARENT_FIELDS } from '../security/sharing.ts';
import { applyDerivedFields } from './behaviours.ts';
import { coerceFieldValue } from './coerce.ts';

/**
 * Resolves an object name from a URL or body (case-insensitive) or answers as Salesforce does.
 * With an access context, the object as that user sees it: one their profile cannot read is
 * NOT_FOUND, exactly like one that does not exist.
 */
export function resolveObject(org: Org, objectName: string, access?: AccessContext): SObjectType {
  const object = (access?.schema ?? org.schema).object(objectName);
  if (!object) throw notFound();
  return object;
}

/** Salesforce's answer to a write the profile or the record's sharing does not allow. */
export function insufficientAccess(): SalesforceApiError {
  return dmlError('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id', []);
}

/** Salesforce's answer to a lookup (or parent) the caller cannot see or, for a parent, edit. */
function insufficientCrossReferenceAccess(): SalesforceApiError {
  return dmlError(
    'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
    'insufficient access rights on cross-reference id',
    [],
  );
}

function unwritableField(field: Field): SalesforceApiError {
  return dmlError(
    'INVALID_FIELD_FOR_INSERT_UPDATE',
    `Unable to create/update fields: ${field.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
    [field.name],
  );
}

/** A create/update body as an object of field values, or Salesforce's JSON_PARSER_ERROR. */
export function asBody(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new SalesforceApiError(
      400,
      'JSON_PARSER_ERROR',
      'The request body must be a JSON object of field names and values.',
    );
  }
  return body as Record<string, unknown>;
}

/**
 * Reads a create/update body into stored values: unknown fields, the Id, and read-only fields are
 * refused; values are coerced to the field types; references must name live records of the right type.
 */
function readBody(
  org: Org,
  access: AccessContext,
  object: SObjectType,
  rawBody: unknown,
  operation: 'create' | 'update',
): StoredRecord {
  const body = asBody(rawBody);
  const values: StoredRecord = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'attributes') continue;
    // Through the caller's schema: a field hidden by field-level security does not exist for them,
    // and one that is read-only for their profile is not createable/updateable.
    const field = access.schema.field(object.name, key);
    if (!field) {
      throw new SalesforceApiError(
        400,
        'INVALID_FIELD',
        `No such column '${key}' on sobject of type ${object.name}`,
      );
    }
    if (field.name === 'Id') {
      if (operation === 'update') continue; // Salesforce ignores an Id in an update body (the URL names the record).
      throw new SalesforceApiError(
        400,
        'INVALID_FIELD',
        'The Id field should not be specified in the sobject data.',
      );
    }
    if (operation === 'create' ? !field.createable : !field.updateable) throw unwritableField(field);
    const stored = coerceFieldValue(field, value);
    if (field.type === 'reference' && stored !== null) checkReference(org, access, field, stored as string);
    values[field.name] = stored;
  }
  return values;
}

/** A lookup must point at a live record of one of the field's target types, visible to the caller. */
function checkReference(org: Org, access: AccessContext, field: Field, id: string): void {
  const target = org.schema.objectByKeyPrefix(id.slice(0, 3));
  const targets = field.referenceTo ?? [];
  if (!target || !targets.includes(target.name)) {
    throw dmlError('FIELD_INTEGRITY_EXCEPTION', `${field.label}: id value of incorrect type: ${id}`, [
      field.name,
    ]);
  }
  const found = org.store.get(target.name, id);
  if (!found) throw dmlError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []);
  if (found.IsDeleted === true) throw dmlError('ENTITY_IS_DELETED', 'entity is deleted', []);
  if (target.name === 'User' && found.IsActive !== true && field.name === 'OwnerId') {
    throw dmlError('INACTIVE_OWNER_OR_USER', 'operation performed with inactive user', [field.name]);
  }
  if (!access.canRead(target.name, found)) throw insufficientCrossReferenceAccess();
}

/**
 * Unique fields (custom unique and external id fields flagged unique) may hold a value once per
 * object, compared case-insensitively as Salesforce does by default.
 */
function checkUnique(org: Org, object: SObjectType, record: StoredRecord): void {
  const { unique } = createRules(object);
  if (unique.length === 0) return;
  const table = org.store.table(object.name);
  for (const field of unique) {
    const value = record[field.name];
    if (value === null || value === undefined) continue;
    for (const id of table.lookup(field.name, value) ?? []) {
      if (id === record.Id || table.records.get(id)?.IsDeleted === true) continue;
      throw dmlError(
        'DUPLICATE_VALUE',
        `duplicate value found: ${field.name} duplicates value on record with id: ${id}`,
        [],
      );
    }
  }
}

/** What a create checks and fills in for one object, worked out once per object (not per record). */
interface CreateRules {
  /** Fields a create must give a value (createable, not nillable, not defaulted on create). */
  required: string[];
  /** Each field's value when a create leaves it out: its default, false for a checkbox, else null. */
  defaults: Array<[name: string, value: StoredRecord[string]]>;
  unique: Field[];
}

const CREATE_RULES = new WeakMap<SObjectType, CreateRules>();

function createRules(object: SObjectType): CreateRules {
  let rules = CREATE_RULES.get(object);
  if (!rules) {
    rules = {
      required: object.fields
        .filter((field) => field.createable && !field.nillable && !field.defaultedOnCreate)
        .map((field) => field.name),
      defaults: object.fields.map((field) => [field.name, defaultOf(field)]),
      unique: object.fields.filter((field) => field.unique === true),
    };
    CREATE_RULES.set(object, rules);
  }
  return rules;
}

function defaultOf(field: Field): StoredRecord[string] {
  const picklistDefault = field.picklistValues?.find((entry) => entry.default)?.value;
  if (picklistDefault !== undefined && field.type !== 'combobox') return picklistDefault;
  if (field.defaultValue !== undefined) return field.defaultValue;
  if (field.type === 'boolean') return false;
  return null;
}

export function checkRequired(object: SObjectType, record: StoredRecord): void {
  const missing = createRules(object).required.filter(
    (name) => record[name] === null || record[name] === undefined,
  );
  if (missing.length > 0) {
    throw dmlError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
  }
}

export function applyDefaults(object: SObjectType, record: StoredRecord): void {
  for (const [name, value] of createRules(object).defaults) {
    if (record[name] === undefined) record[name] = value;
  }
}

/**
 * Creates a record as `userId` would through the REST API: validates the body (Salesforce's
 * error codes), applies defaults and derived fields, stamps system fields, and returns the new id.
 */
export function createRecord(org: Org, userId: string, objectName: string, body: unknown): string {
  const access = org.security.forUser(userId);
  const visible = resolveObject(org, objectName, access);
  const object = org.schema.object(visible.name)!;
  if (!object.createable) {
    throw new SalesforceApiError(
      400,
      'INVALID_TYPE_FOR_OPERATION',
      `entity type cannot be inserted: ${object.name}`,
    );
  }
  if (!access.permissions(object.name).create) throw insufficientAccess();
  const values = readBody(org, access, visible, body, 'create');
  const record: StoredRecord = { ...values, Id: org.ids.next(object.keyPrefix), ...org.systemFields(userId) };
  if (object.owned && (record.OwnerId === undefined || record.OwnerId === null)) record.OwnerId = userId;
  applyDefaults(object, record);
  checkRequired(object, record);
  checkUnique(org, object, record);
  // A contact role, note or file link changes its parent, so Salesforce wants edit access to it
  // (reading it, which the lookup check ensured, is not enough).
  if (object.name in PARENT_FIELDS && !access.canEdit(object.name, record)) {
    throw insufficientCrossReferenceAccess();
  }
  return org.store.transaction(() => {
    applyDerivedFields(org, object, record, undefined, userId);
    org.store.insert(object.name, record);
    return record.Id as string;
  });
}

/** Finds a live record of the object for update/delete, with Salesforce's answers for bad ids. */
function findWritable(
  org: Org,
  object: SObjectType,
  rawId: string,
  operation: 'update' | 'delete',
): StoredRecord {
  const id = normalizeId(rawId);
  if (!id || id.slice(0, 3) !== object.keyPrefix) {
    throw dmlError('MALFORMED_ID', `${object.label} ID: id value of incorrect type: ${rawId}`, ['Id']);
  }
  const record = org.store.get(object.name, id);
  if (!record) throw notFound();
  if (record.IsDeleted === true) {
    throw new SalesforceApiError(
      operation === 'delete' ? 404 : 400,
      'ENTITY_IS_DELETED',
      'entity is deleted',
      [],
    );
  }
  return record;
}

/** Updates a record; throws SalesforceApiError (NOT_FOUND, ENTITY_IS_DELETED, validation codes). */
export function updateRecord(
  org: Org,
  userId: string,
  objectName: string,
  rawId: string,
  body: unknown,
): StoredRecord {
  const access = org.security.forUser(userId);
  const visible = resolveObject(org, objectName, access);
  const object = org.schema.object(visible.name)!;
  if (!object.updateable) {
    throw new SalesforceApiError(
      400,
      'INVALID_TYPE_FOR_OPERATION',
      `entity type cannot be updated: ${object.name}`,
    );
  }
  const permissions = access.permissions(object.name);
  if (!permissions.edit) throw insufficientAccess();
  const before = findWritable(org, object, rawId, 'update');
  if (!access.canEdit(object.name, before)) throw insufficientAccess();
  const changes = readBody(org, access, visible, body, 'update');
  // Transferring a record is the owner's (or Modify All's) call, even where others may edit it.
  const transfer = changes.OwnerId !== undefined && changes.OwnerId !== before.OwnerId;
  if (transfer && before.OwnerId !== userId && !permissions.modifyAll) throw insufficientAccess();
  const cleared = Object.entries(changes)
    .filter(([name, value]) => value === null && !org.schema.field(object.name, name)!.nillable)
    .map(([name]) => name);
  if (cleared.length > 0) {
    throw dmlError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${cleared.join(', ')}]`, cleared);
  }
  const now = org.systemFields(userId);
  const record: StoredRecord = {
    ...before,
    ...changes,
    LastModifiedDate: now.LastModifiedDate,
    LastModifiedById: userId,
    SystemModstamp: now.SystemModstamp,
  };
  checkUnique(org, object, record);
  return org.store.transaction(() => {
    applyDerivedFields(org, object, record, before, userId);
    return org.store.update(object.name, record.Id as string, record);
  });
}

/** Soft-deletes a record (IsDeleted = true) and, as Salesforce does, the children that cascade with it. */
export function deleteRecord(org: Org, userId: string, objectName: string, rawId: string): void {
  const access = org.security.forUser(userId);
  const object = org.schema.object(resolveObject(org, objectName, access).name)!;
  if (!object.deletable) {
    throw new SalesforceApiError(
      400,
      'INVALID_TYPE_FOR_OPERATION',
      `entity type cannot be deleted: ${object.name}`,
    );
  }
  if (!access.permissions(object.name).delete) throw insufficientAccess();
  const record = findWritable(org, object, rawId, 'delete');
  if (!access.canDelete(object.name, record)) throw insufficientAccess();
  org.store.transaction(() => softDelete(org, userId, object, record.Id as string));
}

function softDelete(org: Org, userId: string, object: SObjectType, id: string): void {
  const now = org.systemFields(userId);
  const stamp: StoredRecord = {
    IsDeleted: true,
    LastModifiedById: userId,
    SystemModstamp: now.SystemModstamp,
  };
  org.store.update(object.name, id, stamp);
  // A ContentNote and its ContentDocument are one record seen through two objects.
  for (const twin of ['ContentNote', 'ContentDocument']) {
    if (twin !== object.name && object.keyPrefix === '069' && org.store.get(twin, id)?.IsDeleted === false) {
      org.store.update(twin, id, stamp);
    }
  }
  for (const relationship of org.schema.childRelationships(object.name)) {
    if (!relationship.cascadeDelete) continue;
    const children = org.store.table(relationship.childSObject).lookup(relationship.field, id);
    for (const childId of [...(children ?? [])]) {
      if (org.store.get(relationship.childSObject, childId)?.IsDeleted === false) {
        softDelete(org, userId, org.schema.object(relationship.childSObject)!, childId);
      }
    }
  }
}
