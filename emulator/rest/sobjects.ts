import { formatHttpDate } from '../core/datetime.ts';
import { notFound, SalesforceApiError } from '../core/errors.ts';
import { normalizeId } from '../core/ids.ts';
import type { Org } from '../org/org.ts';
import { createRecord, deleteRecord, resolveObject, updateRecord } from '../records/dml.ts';
import { recordUrl, serializeRecord } from '../records/serialize.ts';
import { describeGlobalEntry, describeObject } from '../schema/describe.ts';
import type { SObjectType } from '../schema/schema.ts';
import type { StoredRecord } from '../schema/types.ts';
import type { AccessContext } from '../security/access.ts';
import { checkWritePreconditions, isNotModified, recordValidators } from './conditional-requests.ts';
import { noteRecentlyViewed, recentItems } from './recently-viewed.ts';
import type { DataRequest, DataResponse } from './types.ts';

const ADDRESS_PARTS: Record<string, string> = {
  Street: 'street',
  City: 'city',
  State: 'state',
  PostalCode: 'postalCode',
  Country: 'country',
  Latitude: 'latitude',
  Longitude: 'longitude',
  GeocodeAccuracy: 'geocodeAccuracy',
};

/** Compound address fields are read-only views over their component fields. */
function addressValue(
  object: SObjectType,
  record: StoredRecord,
  compoundName: string,
): Record<string, unknown> | null {
  const address: Record<string, unknown> = {};
  let any = false;
  for (const field of object.fields) {
    if (field.compoundFieldName !== compoundName || field.type === 'address') continue;
    const part = Object.keys(ADDRESS_PARTS).find((suffix) => field.name.endsWith(suffix));
    if (!part) continue;
    const value = record[field.name] ?? null;
    if (value !== null) any = true;
    address[ADDRESS_PARTS[part]] = value;
  }
  return any ? address : null;
}

/**
 * Validates a `fields=` list (comma-separated, case-insensitive) against the object as the caller
 * sees it and returns the canonical names; unknown names, and fields hidden from the caller by
 * field-level security, answer INVALID_FIELD as Salesforce does.
 */
export function resolveFieldList(access: AccessContext, object: SObjectType, list: string): string[] {
  const names: string[] = [];
  for (const raw of list.split(',')) {
    const name = raw.trim();
    if (!name) continue;
    const field = access.schema.field(object.name, name);
    if (!field) {
      throw new SalesforceApiError(
        400,
        'INVALID_FIELD',
        `No such column '${name}' on entity '${object.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    if (!names.includes(field.name)) names.push(field.name);
  }
  return names;
}

/**
 * A record in the REST shape: all fields of `object` (pass the caller's view of it, so hidden
 * fields stay out) or the listed ones, compound addresses assembled.
 */
export function renderRecord(
  org: Org,
  object: SObjectType,
  record: StoredRecord,
  version: string,
  fieldNames?: string[],
): Record<string, unknown> {
  const names = fieldNames ?? object.fields.map((field) => field.name);
  const body = serializeRecord(version, object.name, record, names);
  for (const name of names) {
    if (org.schema.field(object.name, name)?.type === 'address')
      body[name] = addressValue(object, record, name);
  }
  return body;
}

function accessOf(org: Org, request: DataRequest): AccessContext {
  return org.security.forUser(request.session.userId);
}

/** Describe depends on the caller's profile: a shared cache must not hand one user's to another. */
const DESCRIBE_CACHE_HEADERS = { Vary: 'Authorization', 'Cache-Control': 'private' };

export function handleDescribeGlobal(org: Org, request: DataRequest): DataResponse {
  const lastModified = formatHttpDate(org.schemaModifiedAt);
  const headers = { 'Last-Modified': lastModified, ...DESCRIBE_CACHE_HEADERS };
  if (notModifiedSince(org, request)) return { status: 304, headers };
  // Objects the caller's profile cannot read are absent, as on Salesforce.
  const schema = accessOf(org, request).schema;
  return {
    status: 200,
    headers,
    body: {
      encoding: 'UTF-8',
      maxBatchSize: 200,
      sobjects: schema.objects.map((object) => describeGlobalEntry(object, request.version)),
    },
  };
}

export function handleSObjectInfo(
  org: Org,
  request: DataRequest,
  params: Record<string, string>,
): DataResponse {
  const object = resolveObject(org, params.type, accessOf(org, request));
  return {
    status: 200,
    body: {
      objectDescribe: describeGlobalEntry(object, request.version),
      recentItems: recentItems(org, request.session.userId, request.version, { objectName: object.name }),
    },
  };
}

function notModifiedSince(org: Org, request: DataRequest): boolean {
  const header = request.headers.get('if-modified-since');
  if (!header) return false;
  const since = Date.parse(header);
  return !Number.isNaN(since) && org.schemaModifiedAt <= since;
}

export function handleDescribe(org: Org, request: DataRequest, params: Record<string, string>): DataResponse {
  const access = accessOf(org, request);
  const object = resolveObject(org, params.type, access);
  const lastModified = formatHttpDate(org.schemaModifiedAt);
  const headers = { 'Last-Modified': lastModified, ...DESCRIBE_CACHE_HEADERS };
  if (notModifiedSince(org, request)) return { status: 304, headers };
  return { status: 200, headers, body: describeObject(access, object, request.version) };
}

export function handleCreate(org: Org, request: DataRequest, params: Record<string, string>): DataResponse {
  const object = resolveObject(org, params.type, accessOf(org, request));
  const id = createRecord(org, request.session.userId, object.name, request.body);
  noteRecentlyViewed(org, request.session.userId, object.name, id);
  return {
    status: 201,
    headers: { Location: recordUrl(request.version, object.name, id) },
    body: { id, success: true, errors: [] },
  };
}

export function handleRetrieve(org: Org, request: DataRequest, params: Record<string, string>): DataResponse {
  const access = accessOf(org, request);
  const object = resolveObject(org, params.type, access);
  const id = normalizeId(params.id);
  if (!id || id.slice(0, 3) !== object.keyPrefix) {
    // Salesforce reads a value that is not an id of this object as an external id lookup.
    throw notFound(`Provided external ID field does not exist or is not accessible: ${params.id}`);
  }
  const record = org.store.get(object.name, id);
  // A record the caller's sharing hides is not found, not forbidden: Salesforce does not confirm it exists.
  if (!record || record.IsDeleted === true || !access.canRead(object.name, record)) throw notFound();
  const fieldList = request.query.get('fields');
  const names = fieldList ? resolveFieldList(access, object, fieldList) : undefined;
  const headers = recordValidators(record);
  if (isNotModified(request, record)) return { status: 304, headers };
  noteRecentlyViewed(org, request.session.userId, object.name, id);
  return { status: 200, headers, body: renderRecord(org, object, record, request.version, names) };
}

/**
 * The record a PATCH or DELETE names, when the caller can see it: the one its preconditions are
 * checked against. Anything else is left to the DML layer, which answers as Salesforce does.
 */
function visibleTarget(
  org: Org,
  request: DataRequest,
  params: Record<string, string>,
): StoredRecord | undefined {
  const access = accessOf(org, request);
  const object = access.schema.object(params.type);
  const id = normalizeId(params.id);
  if (!object || !id) return undefined;
  const record = org.store.get(object.name, id);
  return record && record.IsDeleted !== true && access.canRead(object.name, record) ? record : undefined;
}

export function handleUpdate(org: Org, request: DataRequest, params: Record<string, string>): DataResponse {
  const target = visibleTarget(org, request, params);
  if (target) checkWritePreconditions(request, target);
  const updated = updateRecord(org, request.session.userId, params.type, params.id, request.body);
  noteRecentlyViewed(org, request.session.userId, resolveObject(org, params.type).name, updated.Id as string);
  return { status: 204 };
}

export function handleDelete(org: Org, request: DataRequest, params: Record<string, string>): DataResponse {
  const target = visibleTarget(org, request, params);
  if (target) checkWritePreconditions(request, target);
  deleteRecord(org, request.session.userId, params.type, params.id);
  return { status: 204 };
}
