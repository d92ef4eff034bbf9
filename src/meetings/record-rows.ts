/**
 * What a person needs to tell records apart when picking the one to send to, per object, and the
 * uniform row both record search and suggestions return, so the UI renders them the same way.
 */
import type { LinkableRecordType } from './record-types.ts';

export interface RowFieldSpec {
  /** A field or parent path as SOQL/SOSL selects it, e.g. `Account.Name`. */
  path: string;
  label: string;
}

export const ROW_FIELDS: Readonly<Record<LinkableRecordType, readonly RowFieldSpec[]>> = {
  Opportunity: [
    { path: 'Name', label: 'Name' },
    { path: 'Account.Name', label: 'Account' },
    { path: 'StageName', label: 'Stage' },
    { path: 'CloseDate', label: 'Close date' },
    { path: 'Amount', label: 'Amount' },
    { path: 'Owner.Name', label: 'Owner' },
  ],
  Contact: [
    { path: 'Name', label: 'Name' },
    { path: 'Account.Name', label: 'Account' },
    { path: 'Title', label: 'Title' },
    { path: 'Email', label: 'Email' },
  ],
  Lead: [
    { path: 'Name', label: 'Name' },
    { path: 'Company', label: 'Company' },
    { path: 'Status', label: 'Status' },
    { path: 'Email', label: 'Email' },
  ],
  Case: [
    { path: 'CaseNumber', label: 'Case number' },
    { path: 'Subject', label: 'Subject' },
    { path: 'Status', label: 'Status' },
    { path: 'Account.Name', label: 'Account' },
  ],
  Account: [
    { path: 'Name', label: 'Name' },
    { path: 'Industry', label: 'Industry' },
    { path: 'Website', label: 'Website' },
    { path: 'Owner.Name', label: 'Owner' },
  ],
};

/** The fields each object's rows are read with, per object, as the caller's profile lets them read. */
export type ReadableFields = Partial<Record<LinkableRecordType, readonly string[]>>;

/** The lookup field a parent path goes through: `Account.Name` → `AccountId`. */
function baseFieldOf(path: string): string {
  const dot = path.indexOf('.');
  return dot < 0 ? path : `${path.slice(0, dot)}Id`;
}

/**
 * The row paths the caller may select. Naming a field the profile cannot read fails the whole
 * query with INVALID_FIELD, so with `readable` (from describe) unreadable ones are left out; without
 * it every path is selected.
 */
export function selectableRowPaths(type: LinkableRecordType, readable?: ReadableFields): string[] {
  const paths = ROW_FIELDS[type].map((spec) => spec.path);
  if (!readable) return paths;
  const fields = new Set(readable[type] ?? []);
  return paths.filter((path) => {
    if (!fields.has(baseFieldOf(path))) return false;
    // A relationship to an object the profile cannot read is unknown to Salesforce (INVALID_FIELD).
    const dot = path.indexOf('.');
    if (dot < 0) return true;
    const parent = PARENT_OBJECTS[path.slice(0, dot)];
    return parent === undefined || parent === 'User' || readable[parent] !== undefined;
  });
}

/** The objects the row paths' relationships lead to (User is readable by every profile). */
const PARENT_OBJECTS: Readonly<Record<string, LinkableRecordType | 'User'>> = {
  Account: 'Account',
  Owner: 'User',
};

export type RowValue = string | number | boolean | null;

export interface RecordRowField {
  name: string;
  label: string;
  value: RowValue;
}

export interface RecordRow {
  type: LinkableRecordType;
  id: string;
  title: string;
  subtitle: string;
  fields: RecordRowField[];
}

/** Reads `Account.Name` from a REST record: parent records are nested objects, or null when empty. */
export function valueAtPath(record: Record<string, unknown>, path: string): RowValue {
  let current: unknown = record;
  for (const segment of path.split('.')) {
    if (typeof current !== 'object' || current === null) return null;
    current = (current as Record<string, unknown>)[segment];
  }
  if (typeof current === 'string' || typeof current === 'number' || typeof current === 'boolean')
    return current;
  return null;
}

function text(value: RowValue): string {
  return value === null ? '' : String(value);
}

function joinParts(parts: RowValue[]): string {
  return parts
    .map(text)
    .filter((part) => part !== '')
    .join(' · ');
}

function titleOf(type: LinkableRecordType, record: Record<string, unknown>): string {
  if (type === 'Case') {
    const number = text(valueAtPath(record, 'CaseNumber'));
    const subject = text(valueAtPath(record, 'Subject'));
    return subject === '' ? `Case ${number}` : `Case ${number}: ${subject}`;
  }
  return text(valueAtPath(record, 'Name'));
}

function subtitleOf(type: LinkableRecordType, record: Record<string, unknown>): string {
  const at = (path: string) => valueAtPath(record, path);
  switch (type) {
    case 'Opportunity': {
      const closeDate = at('CloseDate');
      return joinParts([
        at('Account.Name'),
        at('StageName'),
        closeDate === null ? null : `closes ${closeDate}`,
      ]);
    }
    case 'Contact':
      return joinParts([at('Title'), at('Account.Name'), at('Email')]);
    case 'Lead':
      return joinParts([at('Company'), at('Status'), at('Email')]);
    case 'Case':
      return joinParts([at('Status'), at('Account.Name')]);
    case 'Account':
      return joinParts([at('Industry'), at('Website')]);
  }
}

/** One uniform row; fields the query did not return (not readable) are simply absent. */
export function recordRow(type: LinkableRecordType, record: Record<string, unknown>): RecordRow {
  const fields: RecordRowField[] = [];
  for (const spec of ROW_FIELDS[type]) {
    const [first] = spec.path.split('.');
    if (!(first in record)) continue;
    fields.push({ name: spec.path, label: spec.label, value: valueAtPath(record, spec.path) });
  }
  return {
    type,
    id: String(record.Id),
    title: titleOf(type, record),
    subtitle: subtitleOf(type, record),
    fields,
  };
}
