/**
 * sObject Rows by External ID: `…/sobjects/T/Field__c/value` reads (GET), upserts (PATCH) and
 * deletes (DELETE) the record whose external id field holds the value; `POST …/sobjects/T/Id`
 * creates (upsert with Id as the external id and no value) and `PATCH …/sobjects/T/Id/{id}` updates.
 * One match is used, none creates (or 404), several answer 300 with the matching records' URLs.
 */
import { notFound, SalesforceApiError } from '../core/errors.ts';
import { normalizeId } from '../core/ids.ts';
import type { Org } from '../org/org.ts';
import { coerceFieldValue } from '../records/coerce.ts';
import { asBody, createRecord, deleteRecord, resolveObject, updateRecord } from '../records/dml.ts';
import { recordUrl } from '../records/serialize.ts';
import type { Field, SObjectType } from '../schema/schema.ts';
import type { RecordValue, StoredRecord } from '../schema/types.ts';
import type { AccessContext } from '../security/access.ts';
import { noteRecentlyViewed } from './recently-viewed.ts';
import { renderRecord, resolveFieldList } from './sobjects.ts';
import type { DataRequest, DataResponse } from './types.ts';

function unknownExternalIdField(name: string): SalesforceApiError {
  return notFound(`Provided external ID field does not exist or is not accessible: ${name}`);
}

/** The external id field the URL names, through the caller's view (hidden fields do not exist for them). */
function externalIdField(access: AccessContext, object: SObjectType, name: string): Field {
  const field = access.schema.field(object.name, name);
  if (!field || !(field.externalId === true || field.name === 'Id')) throw unknownExternalIdField(name);
  return field;
}

/** Live records the caller can read whose field equals the value (text compares case-insensitively). */
function matchingRecords(
  org: Org,
  access: AccessContext,
  object: SObjectType,
  field: Field,
  value: string,
): StoredRecord[] {
  if (field.name === 'Id') {
    const id = normalizeId(value);
    const record = id ? org.store.get(object.name, id) : undefined;
    return record && record.IsDeleted !== true && access.canRead(object.name, record) ? [record] : [];
  }
  let stored: RecordValue;
  try {
    stored = coerceFieldValue(field, value);
  } catch {
    return []; // A value that cannot be of the field's type matches nothing.
  }
  const table = org.store.table(object.name);
  const ids = table.lookup(field.name, stored) ?? new Set<string>();
  const found: StoredRecord[] = [];
  for (const id of ids) {
    const record = table.records.get(id)!;
    if (record.IsDeleted !== true && access.canRead(object.name, record)) found.push(record);
  }
  return found.sort((left, right) => String(left.Id).localeCompare(String(right.Id)));
}

/** Salesforce's answer to an ambiguous external id: 300 Multiple Choices with each record's URL. */
function multipleChoices(request: DataRequest, objectName: string, records: StoredRecord[]): DataResponse {
  return {
    status: 300,
    body: records.map((record) => recordUrl(request.version, objectName, record.Id as string)),
  };
}

function accessOf(org: Org, request: DataRequest): AccessContext {
  return org.security.forUser(request.session.userId);
}

/** The one record an external id URL names, or Salesforce's 300 (several) / 404 (none). */
function findByExternalId(
  org: Org,
  request: DataRequest,
  params: Record<string, string>,
): { access: AccessContext; object: SObjectType; record: StoredRecord } | DataResponse {
  const access = accessOf(org, request);
  const object = resolveObject(org, params.type, access);
  const field = externalIdField(access, object, params.field);
  const records = matchingRecords(org, access, object, field, params.value);
  if (records.length === 0) throw notFound();
  if (records.length > 1) return multipleChoices(request, object.name, records);
  return { access, object, record: records[0] };
}

/** `GET …/sobjects/T/Field__c/value`: the record, or 300 / 404. */
export function handleRetrieveByExternalId(
  org: Org,
  request: DataRequest,
  params: Record<string, string>,
): DataResponse {
  const found = findByExternalId(org, request, params);
  if ('status' in found) return found;
  const { access, object, record } = found;
  const fieldList = request.query.get('fields');
  const names = fieldList ? resolveFieldList(access, object, fieldList) : undefined;
  noteRecentlyViewed(org, request.session.userId, object.name, record.Id as string);
  return { status: 200, body: renderRecord(org, object, record, request.version, names) };
}

/** The body without the external id field when it repeats the URL's value; a different value is refused. */
function bodyWithoutKey(body: Record<string, unknown>, field: Field, value: string): Record<string, unknown> {
  const rest: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(body)) {
    if (key.toLowerCase() !== field.name.toLowerCase()) {
      rest[key] = item;
      continue;
    }
    if (String(item).toLowerCase() !== value.toLowerCase()) {
      throw new SalesforceApiError(
        400,
        'INVALID_FIELD',
        `The value of ${field.name} in the request body differs from the one in the URL: ${value}`,
        [field.name],
      );
    }
  }
  return rest;
}

export type UpsertOutcome = { id: string; created: boolean } | { matches: StoredRecord[] };

/**
 * Upserts one record by an external id field (or Id) as `userId`: updates the one match, creates
 * a record holding the value when there is none (not with `updateOnly`, nor by Id: 404), or
 * reports the matches when there are several. DML errors are thrown as SalesforceApiErrors.
 */
export function upsertRecord(
  org: Org,
  userId: string,
  options: { objectName: string; fieldName: string; value: string; body: unknown; updateOnly?: boolean },
): UpsertOutcome {
  const access = org.security.forUser(userId);
  const object = resolveObject(org, options.objectName, access);
  const field = externalIdField(access, object, options.fieldName);
  const body = bodyWithoutKey(asBody(options.body), field, options.value);
  const records = matchingRecords(org, access, object, field, options.value);
  if (records.length > 1) return { matches: records };
  if (records.length === 1) {
    const id = records[0].Id as string;
    updateRecord(org, userId, object.name, id, body);
    noteRecentlyViewed(org, userId, object.name, id);
    return { id, created: false };
  }
  // Upserting by Id never creates: a record id that names nothing is not found.
  if (field.name === 'Id' || options.updateOnly) throw notFound();
  const id = createRecord(org, userId, object.name, { ...body, [field.name]: options.value });
  noteRecentlyViewed(org, userId, object.name, id);
  return { id, created: true };
}

/**
 * `PATCH …/sobjects/T/Field__c/value` (and `…/Id/{id}`): 200 `created: false` for an update,
 * 201 `created: true` for a create (404 with `updateOnly=true`), 300 when several records match.
 */
export function handleUpsert(org: Org, request: DataRequest, params: Record<string, string>): DataResponse {
  const outcome = upsertRecord(org, request.session.userId, {
    objectName: params.type,
    fieldName: params.field,
    value: params.value,
    body: request.body,
    updateOnly: request.query.get('updateOnly') === 'true',
  });
  const objectName = resolveObject(org, params.type).name;
  if ('matches' in outcome) return multipleChoices(request, objectName, outcome.matches);
  const body = { id: outcome.id, success: true, errors: [], created: outcome.created };
  if (!outcome.created) return { status: 200, body };
  return { status: 201, headers: { Location: recordUrl(request.version, objectName, outcome.id) }, body };
}

/** `POST …/sobjects/T/Id`: an upsert by Id with no value, that is a create (API 37.0 and later). */
export function handleCreateWithIdKey(
  org: Org,
  request: DataRequest,
  params: Record<string, string>,
): DataResponse {
  const access = accessOf(org, request);
  const object = resolveObject(org, params.type, access);
  if (params.field.toLowerCase() !== 'id') {
    throw new SalesforceApiError(
      405,
      'METHOD_NOT_ALLOWED',
      "HTTP Method 'POST' not allowed. Allowed are GET,PATCH,DELETE,HEAD",
    );
  }
  const userId = request.session.userId;
  const id = createRecord(org, userId, object.name, request.body);
  noteRecentlyViewed(org, userId, object.name, id);
  return {
    status: 201,
    headers: { Location: recordUrl(request.version, object.name, id) },
    body: { id, success: true, errors: [], created: true },
  };
}

/** `DELETE …/sobjects/T/Field__c/value`: deletes the one match (204), or 300 / 404. */
export function handleDeleteByExternalId(
  org: Org,
  request: DataRequest,
  params: Record<string, string>,
): DataResponse {
  const found = findByExternalId(org, request, params);
  if ('status' in found) return found;
  deleteRecord(org, request.session.userId, found.object.name, found.record.Id as string);
  return { status: 204 };
}
