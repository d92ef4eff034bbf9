import type { Field, Schema, SObjectType } from '../schema/schema.ts';
import type { RecordValue, StoredRecord } from '../schema/types.ts';
import type { RecordReader } from '../store/record-store.ts';
import { noSuchColumn, unknownRelationship } from './errors.ts';

/** How values of a field compare in SOQL. */
export type ValueKind =
  | 'text'
  | 'id'
  | 'number'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'multipicklist'
  | 'address';

export function kindOf(field: Field): ValueKind {
  switch (field.type) {
    case 'id':
    case 'reference':
      return 'id';
    case 'double':
    case 'currency':
    case 'percent':
    case 'int':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'multipicklist':
      return 'multipicklist';
    case 'address':
      return 'address';
    default:
      return 'text';
  }
}

/** One reference walked by a relationship path (`Account` in `Account.Owner.Name`). */
export interface Hop {
  reference: Field;
  /** Canonical relationship name, the key of the nested object in results. */
  relationshipName: string;
  /** The parent object; undefined for polymorphic lookups (WhatId, WhoId), resolved per record. */
  target: SObjectType | undefined;
}

/** The fields Salesforce exposes on a polymorphic parent (the "Name" entity) that the emulator supports. */
export type PolymorphicFieldName = 'Id' | 'Name' | 'Type';

export interface ResolvedPath {
  hops: Hop[];
  /** The final field; undefined when it is a field of a polymorphic parent. */
  field: Field | undefined;
  polymorphicField: PolymorphicFieldName | undefined;
  /** Canonical API name of the final field. */
  name: string;
  kind: ValueKind;
}

const POLYMORPHIC_FIELDS: Record<string, PolymorphicFieldName> = { id: 'Id', name: 'Name', type: 'Type' };

/**
 * Resolves a dotted path as typed in the query (`account.owner.name`) against the schema, with
 * Salesforce's errors for unknown relationships and columns. `alias` is the FROM alias, which may
 * prefix paths (`SELECT a.Name FROM Account a`).
 */
export function resolvePath(
  schema: Schema,
  object: SObjectType,
  path: string,
  soql: string,
  alias?: string,
): ResolvedPath {
  let segments = path.split('.');
  if (segments.length > 1) {
    // `a.Name` with `FROM Account a`, or the object's own name as a prefix (`Account.Name FROM Account`).
    const first = segments[0].toLowerCase();
    const isAlias = alias !== undefined && first === alias.toLowerCase();
    const isOwnName = first === object.name.toLowerCase() && !schema.parentRelationship(object.name, first);
    if (isAlias || isOwnName) segments = segments.slice(1);
  }
  const hops: Hop[] = [];
  let current: SObjectType | undefined = object;
  for (let index = 0; index < segments.length - 1; index++) {
    const segment = segments[index];
    const reference: Field | undefined = current
      ? schema.parentRelationship(current.name, segment)
      : undefined;
    if (!reference) throw unknownRelationship(soql, path, segment);
    const targets: string[] = reference.referenceTo ?? [];
    // A lookup to an object the emulator does not model (User.Profile) is resolved like a polymorphic one.
    const target: SObjectType | undefined = targets.length === 1 ? schema.object(targets[0]) : undefined;
    hops.push({ reference, relationshipName: reference.relationshipName ?? segment, target });
    current = target;
  }
  const last = segments[segments.length - 1];
  if (!current) {
    const polymorphicField = POLYMORPHIC_FIELDS[last.toLowerCase()];
    if (!polymorphicField) throw noSuchColumn(soql, path, last, 'Name');
    return {
      hops,
      field: undefined,
      polymorphicField,
      name: polymorphicField,
      kind: polymorphicField === 'Id' ? 'id' : 'text',
    };
  }
  const field = schema.field(current.name, last);
  if (!field) throw noSuchColumn(soql, path, last, current.name);
  return { hops, field, polymorphicField: undefined, name: field.name, kind: kindOf(field) };
}

export type Getter = (record: StoredRecord, store: RecordReader) => RecordValue;

/**
 * Finds a parent record along one hop; undefined when the lookup is empty or dangling, or (with
 * a user's reader) when sharing hides the parent: Salesforce returns null for such a parent.
 */
export function followHop(
  hop: Hop,
  record: StoredRecord,
  store: RecordReader,
): { object: SObjectType; record: StoredRecord } | undefined {
  const id = record[hop.reference.name];
  if (typeof id !== 'string' || id === '') return undefined;
  if (hop.target) {
    const parent = store.get(hop.target.name, id);
    return parent ? { object: hop.target, record: parent } : undefined;
  }
  return store.find(id);
}

export function polymorphicValue(
  name: PolymorphicFieldName,
  object: SObjectType,
  record: StoredRecord,
): RecordValue {
  if (name === 'Id') return record.Id ?? null;
  if (name === 'Type') return object.name;
  return object.nameField ? (record[object.nameField.name] ?? null) : null;
}

/** A function reading the path's value from a record, walking parents through the store. */
export function compileGetter(path: ResolvedPath): Getter {
  const { hops, name, polymorphicField } = path;
  if (hops.length === 0) return (record) => record[name] ?? null;
  return (record, store) => {
    let current: { object: SObjectType | undefined; record: StoredRecord } = { object: undefined, record };
    for (const hop of hops) {
      const parent = followHop(hop, current.record, store);
      if (!parent) return null;
      current = parent;
    }
    if (polymorphicField && current.object)
      return polymorphicValue(polymorphicField, current.object, current.record);
    return current.record[name] ?? null;
  };
}

/** A compound address field as Salesforce returns it; null when every component is empty. */
export function addressValue(field: Field, record: StoredRecord): Record<string, RecordValue> | null {
  const prefix = field.name.slice(0, -'Address'.length);
  const value: Record<string, RecordValue> = {
    city: record[`${prefix}City`] ?? null,
    country: record[`${prefix}Country`] ?? null,
    geocodeAccuracy: record[`${prefix}GeocodeAccuracy`] ?? null,
    latitude: record[`${prefix}Latitude`] ?? null,
    longitude: record[`${prefix}Longitude`] ?? null,
    postalCode: record[`${prefix}PostalCode`] ?? null,
    state: record[`${prefix}State`] ?? null,
    street: record[`${prefix}Street`] ?? null,
  };
  return Object.values(value).every((component) => component === null) ? null : value;
}
