import type { Schema, SObjectType } from '../schema/schema.ts';
import type { RecordValue, StoredRecord } from '../schema/types.ts';

export interface StoreChange {
  objectName: string;
  id: string;
  /** The record before the change; undefined for an insert. */
  before: StoredRecord | undefined;
  /** The record after the change; undefined when a record is removed (a rolled-back insert, a replaceAll). */
  after: StoredRecord | undefined;
}

export type StoreListener = (change: StoreChange) => void;

/** Reading records by id: the store itself, or a user's view of it through sharing. */
export interface RecordReader {
  get(objectName: string, id: string): StoredRecord | undefined;
  find(id: string): { object: SObjectType; record: StoredRecord } | undefined;
}

const NULL_KEY = '\u0000null';

/** The key a value is indexed under: text compares case-insensitively in SOQL. */
export function indexKey(value: RecordValue | undefined): string {
  if (value === null || value === undefined) return NULL_KEY;
  return typeof value === 'string' ? value.toLowerCase() : String(value);
}

/**
 * One object's records (deleted ones included, flagged IsDeleted) with hash indexes on the fields
 * Salesforce indexes (Id, name fields, Email, lookups, external ids).
 */
export class Table {
  readonly object: SObjectType;
  readonly records = new Map<string, StoredRecord>();
  /** Field → key → the ids with that key: one id held as itself (most keys are unique), more as a Set. */
  readonly #indexes = new Map<string, Map<string, string | Set<string>>>();

  constructor(object: SObjectType) {
    this.object = object;
    for (const field of object.fields) {
      if (
        (field.indexed || field.nameField || field.externalId || field.type === 'reference') &&
        field.name !== 'Id'
      ) {
        this.#indexes.set(field.name, new Map());
      }
    }
  }

  hasIndex(fieldName: string): boolean {
    return fieldName === 'Id' || this.#indexes.has(fieldName);
  }

  /** Ids whose field equals the value (case-insensitive for text); undefined when not indexed. */
  lookup(fieldName: string, value: RecordValue): ReadonlySet<string> | undefined {
    if (fieldName === 'Id') {
      return typeof value === 'string' && this.records.has(value) ? new Set([value]) : new Set();
    }
    const index = this.#indexes.get(fieldName);
    if (!index) return undefined;
    const ids = index.get(indexKey(value));
    if (ids === undefined) return new Set();
    return typeof ids === 'string' ? new Set([ids]) : ids;
  }

  /** Replaces (or removes, with undefined) one record and keeps the indexes in step. */
  put(id: string, record: StoredRecord | undefined): StoredRecord | undefined {
    const before = this.records.get(id);
    for (const [fieldName, index] of this.#indexes) {
      const oldKey = before ? indexKey(before[fieldName]) : undefined;
      const newKey = record ? indexKey(record[fieldName]) : undefined;
      if (oldKey === newKey) continue;
      if (oldKey !== undefined) {
        const ids = index.get(oldKey);
        if (ids === id) index.delete(oldKey);
        else if (typeof ids === 'object') {
          ids.delete(id);
          if (ids.size === 0) index.delete(oldKey);
        }
      }
      if (newKey !== undefined) {
        const ids = index.get(newKey);
        if (ids === undefined) index.set(newKey, id);
        else if (typeof ids === 'string') {
          if (ids !== id) index.set(newKey, new Set([ids, id]));
        } else ids.add(id);
      }
    }
    if (record) this.records.set(id, record);
    else this.records.delete(id);
    return before;
  }
}

/**
 * The org's data, in memory. Records are replaced, never mutated, so a transaction can undo
 * by putting back the previous objects. Listeners (the search index) see every change, undo included.
 */
export class RecordStore implements RecordReader {
  readonly schema: Schema;
  readonly #tables = new Map<string, Table>();
  readonly #listeners: StoreListener[] = [];
  #undoLog: Array<() => void> | undefined;

  constructor(schema: Schema) {
    this.schema = schema;
    for (const object of schema.objects) this.#tables.set(object.name, new Table(object));
  }

  /** The table of an object by its exact API name (use schema.object() to resolve case first). */
  table(objectName: string): Table {
    const table = this.#tables.get(objectName);
    if (!table) throw new Error(`No table for object ${objectName}`);
    return table;
  }

  /** Finds a record by id in the object its key prefix names, deleted or not. */
  find(id: string): { object: SObjectType; record: StoredRecord } | undefined {
    const object = this.schema.objectByKeyPrefix(id.slice(0, 3));
    if (!object) return undefined;
    const record = this.#tables.get(object.name)?.records.get(id);
    return record ? { object, record } : undefined;
  }

  get(objectName: string, id: string): StoredRecord | undefined {
    return this.#tables.get(objectName)?.records.get(id);
  }

  subscribe(listener: StoreListener): void {
    this.#listeners.push(listener);
  }

  insert(objectName: string, record: StoredRecord): void {
    const id = record.Id as string;
    this.#write(objectName, id, record);
  }

  /** Applies changes to an existing record and returns the new record. */
  update(objectName: string, id: string, changes: StoredRecord): StoredRecord {
    const before = this.table(objectName).records.get(id);
    if (!before) throw new Error(`No ${objectName} record ${id}`);
    const after = { ...before, ...changes };
    this.#write(objectName, id, after);
    return after;
  }

  /**
   * Replaces every record with the given ones (object API name → records; objects left out end
   * up empty), in place: listeners see each removal and each new record, so state kept beside the
   * store (the search index) stays consistent without being rebuilt or re-subscribed.
   */
  replaceAll(recordsByObject: ReadonlyMap<string, Iterable<StoredRecord>>): void {
    for (const objectName of recordsByObject.keys()) this.table(objectName);
    for (const [objectName, table] of this.#tables) {
      const incoming = [...(recordsByObject.get(objectName) ?? [])];
      const kept = new Set(incoming.map((record) => record.Id as string));
      for (const id of [...table.records.keys()]) if (!kept.has(id)) this.#write(objectName, id, undefined);
      for (const record of incoming) this.#write(objectName, record.Id as string, record);
    }
  }

  /** Removes every record (listeners see each removal). */
  clear(): void {
    this.replaceAll(new Map());
  }

  /**
   * Runs work as one unit: if it throws, every change it made is undone (newest first) and the
   * error is rethrown. A nested call is a savepoint: its failure undoes only its own changes, so an
   * outer caller that catches the error keeps a consistent store.
   */
  transaction<T>(work: () => T): T {
    const outermost = this.#undoLog === undefined;
    const undoLog = this.#undoLog ?? [];
    const savepoint = undoLog.length;
    this.#undoLog = undoLog;
    try {
      return work();
    } catch (error) {
      // Undo without logging the undo itself.
      this.#undoLog = undefined;
      while (undoLog.length > savepoint) undoLog.pop()!();
      if (!outermost) this.#undoLog = undoLog;
      throw error;
    } finally {
      if (outermost) this.#undoLog = undefined;
    }
  }

  #write(objectName: string, id: string, record: StoredRecord | undefined): void {
    const table = this.table(objectName);
    const before = table.put(id, record);
    this.#undoLog?.push(() => this.#write(objectName, id, before));
    for (const listener of this.#listeners) listener({ objectName, id, before, after: record });
  }
}
