import {
  type CompactCell,
  type CompactRecord,
  type CompactScalar,
  type CompactValue,
  isChildren,
  isObject,
  TYPE_KEY,
} from './compact-record.ts';

export interface CompactTable {
  object?: string;
  fields: string[];
  /** For child subquery columns: the children's field names (see toTable). */
  childFields?: Record<string, string[]>;
  rows: CompactCell[][];
}

/**
 * Records (of one type) as a table: the union of their fields in first-seen order. A child
 * subquery column holds, per row, the child rows only (`[[…], …]`), or `{ total, rows }` when
 * there were more children than shown; the children's field names are given once, in
 * `childFields`, because repeating them in every row cost more than the rows saved.
 */
export function toTable(records: readonly CompactRecord[], object?: string): CompactTable {
  const fields: string[] = [];
  const seen = new Set<string>();
  const childFields: Record<string, string[]> = {};
  for (const record of records) {
    for (const [key, value] of Object.entries(record)) {
      if (key === TYPE_KEY) continue;
      if (!seen.has(key)) {
        seen.add(key);
        fields.push(key);
      }
      if (isChildren(value)) childFields[key] = unionFields(childFields[key] ?? [], value.records);
    }
  }
  const rows = records.map((record) =>
    fields.map((field) => {
      const value = record[field];
      if (value === undefined) return null;
      if (isChildren(value)) {
        const childRows = value.records.map((child) => rowOf(child, childFields[field] ?? []));
        return value.total > childRows.length ? { total: value.total, rows: childRows } : childRows;
      }
      return renderValue(value);
    }),
  );
  return {
    ...(object === undefined ? {} : { object }),
    fields,
    ...(Object.keys(childFields).length > 0 ? { childFields } : {}),
    rows,
  };
}

function unionFields(known: string[], records: readonly CompactRecord[]): string[] {
  const fields = [...known];
  for (const record of records) {
    for (const key of Object.keys(record)) if (key !== TYPE_KEY && !fields.includes(key)) fields.push(key);
  }
  return fields;
}

function rowOf(record: CompactRecord, fields: readonly string[]): CompactCell[] {
  return fields.map((field) => (record[field] === undefined ? null : renderValue(record[field])));
}

export function renderValue(value: CompactValue): CompactCell {
  if (Array.isArray(value)) return value.map(renderValue);
  if (isObject(value)) {
    if (isChildren(value)) {
      const table = toTable(value.records);
      return { total: value.total, fields: table.fields, rows: table.rows };
    }
    const rendered: { [key: string]: CompactCell } = {};
    for (const [key, item] of Object.entries(value)) rendered[key] = renderValue(item as CompactValue);
    return rendered;
  }
  return value as CompactScalar;
}

export function renderRecord(record: CompactRecord): { [key: string]: CompactCell } {
  const rendered: { [key: string]: CompactCell } = {};
  for (const [key, value] of Object.entries(record)) rendered[key] = renderValue(value);
  return rendered;
}
