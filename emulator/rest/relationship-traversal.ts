/**
 * Relationship traversal with friendly URLs: `GET …/sobjects/Contact/{id}/Account` answers the
 * parent record a lookup points at; `GET …/sobjects/Account/{id}/Contacts` answers the children
 * of a child relationship in the query result shape. `?fields=` narrows either.
 */
import { notFound } from '../core/errors.ts';
import { normalizeId } from '../core/ids.ts';
import type { Org } from '../org/org.ts';
import { resolveObject } from '../records/dml.ts';
import { renderRecord, resolveFieldList } from './sobjects.ts';
import type { DataRequest, DataResponse } from './types.ts';

/** Children listed in one answer; Salesforce pages relationship results like a query's first batch. */
const MAX_CHILDREN = 2000;

export function handleRelationship(
  org: Org,
  request: DataRequest,
  params: Record<string, string>,
): DataResponse {
  const access = org.security.forUser(request.session.userId);
  const object = resolveObject(org, params.type, access);
  const id = normalizeId(params.id);
  const record = id?.startsWith(object.keyPrefix) ? org.store.get(object.name, id) : undefined;
  if (!record || record.IsDeleted === true || !access.canRead(object.name, record)) throw notFound();
  const fieldList = request.query.get('fields');

  const lookup = access.schema.parentRelationship(object.name, params.relationship);
  if (lookup) {
    const parentId = record[lookup.name];
    const parentFound = typeof parentId === 'string' ? org.store.find(parentId) : undefined;
    // An empty lookup, or a parent the caller cannot see, has nothing to show.
    if (!parentFound || parentFound.record.IsDeleted === true) throw notFound();
    const parentObject = access.schema.object(parentFound.object.name);
    if (!parentObject || !access.canRead(parentObject.name, parentFound.record)) throw notFound();
    const names = fieldList ? resolveFieldList(access, parentObject, fieldList) : undefined;
    return { status: 200, body: renderRecord(org, parentObject, parentFound.record, request.version, names) };
  }

  const relationship = access.schema.childRelationship(object.name, params.relationship);
  const childObject = relationship && access.schema.object(relationship.childSObject);
  if (!relationship || !childObject) throw notFound();
  const names = fieldList ? resolveFieldList(access, childObject, fieldList) : undefined;
  const table = org.store.table(childObject.name);
  const childIds = [...(table.lookup(relationship.field, record.Id as string) ?? [])].sort();
  const records: Array<Record<string, unknown>> = [];
  let totalSize = 0;
  for (const childId of childIds) {
    const child = table.records.get(childId);
    if (!child || child.IsDeleted === true || !access.canRead(childObject.name, child)) continue;
    totalSize++;
    if (records.length < MAX_CHILDREN)
      records.push(renderRecord(org, childObject, child, request.version, names));
  }
  return { status: 200, body: { totalSize, done: records.length === totalSize, records } };
}
