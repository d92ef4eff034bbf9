import { SalesforceApiError } from '../../salesforce/errors.ts';
import { escapeSoqlString, isValidObjectName, NAME_PATTERN } from '../../salesforce/query-syntax.ts';
import type { SealedCall } from '../store/approval-store.ts';
import { type AgentSalesforceClient, WRITABLE_OBJECTS } from '../tools/tool-catalog.ts';
import type { LookupResult } from './approval-execution.ts';

/**
 * Finds out in Salesforce whether an interrupted write happened, without writing anything:
 * - an update happened when the record holds every value it set;
 * - a delete happened when the record is gone;
 * - a create happened when a record of that object, created by the connected Salesforce user
 *   between the moment the request was about to leave and the end of its holder's lease (after
 *   which the request can no longer commit), five minutes either way for clock skew, holds every
 *   value it set. Every page of that window
 *   is read (no LIMIT), and the values are compared here: long text fields cannot be filtered in
 *   SOQL.
 * Salesforce errors other than "not found" propagate: the lookup is tried again later.
 */
export async function lookUpExecution(options: {
  client: AgentSalesforceClient;
  call: SealedCall;
  /** When the request was about to leave, and when it could no longer commit. */
  window: { from: Date; to: Date };
  connectedUserId: string;
}): Promise<LookupResult> {
  const { client, call } = options;
  const input = call.input as { objectType?: unknown; id?: unknown; fields?: Record<string, unknown> };
  const objectType = writableObject(input.objectType);
  // The call could not have been accepted: nothing happened.
  if (!objectType) return { found: false };
  const fields = input.fields ?? {};
  if (call.toolName === 'update_record' || call.toolName === 'delete_record') {
    const id = String(input.id);
    const record = await retrieveOrMissing(client, objectType, id, Object.keys(fields));
    if (call.toolName === 'delete_record')
      return record ? { found: false } : { found: true, recordIds: [id] };
    return record && holdsValues(record, fields) ? { found: true, recordIds: [id] } : { found: false };
  }
  if (call.toolName !== 'create_record') return { found: false };
  const names = Object.keys(fields);
  if (!names.every((name) => NAME_PATTERN.test(name))) return { found: false };
  const selected = ['Id', ...names.filter((name) => name.toLowerCase() !== 'id')];
  const soql =
    `SELECT ${selected.join(', ')} FROM ${objectType} ` +
    `WHERE CreatedById = '${escapeSoqlString(options.connectedUserId)}' ` +
    `AND CreatedDate >= ${soqlDateTime(options.window.from, -LOOKUP_SKEW_MS)} ` +
    `AND CreatedDate <= ${soqlDateTime(options.window.to, LOOKUP_SKEW_MS)} ORDER BY CreatedDate`;
  let page = await client.query(soql);
  for (;;) {
    const match = page.records.find((record) => holdsValues(record, fields));
    if (match) return { found: true, recordIds: [String(match.Id)] };
    if (page.done || !page.nextRecordsUrl) return { found: false };
    page = await client.queryMore(page.nextRecordsUrl);
  }
}

function writableObject(name: unknown): string | undefined {
  if (!isValidObjectName(name)) return undefined;
  return WRITABLE_OBJECTS.find((candidate) => candidate.toLowerCase() === name.toLowerCase());
}

/**
 * The window is on our clock and CreatedDate on Salesforce's: a margin either way for the skew
 * between them (as the meeting sends' lookup allows).
 */
export const LOOKUP_SKEW_MS = 5 * 60_000;

/** A SOQL dateTime literal, moved by `marginMs`. */
function soqlDateTime(at: Date, marginMs: number): string {
  return new Date(at.getTime() + marginMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

async function retrieveOrMissing(
  client: AgentSalesforceClient,
  objectType: string,
  id: string,
  fields: string[],
): Promise<Record<string, unknown> | undefined> {
  try {
    return await client.retrieve(objectType, id, fields.length > 0 ? fields : ['Id']);
  } catch (error) {
    if (
      error instanceof SalesforceApiError &&
      (error.salesforceErrorCode === 'NOT_FOUND' || error.salesforceErrorCode === 'ENTITY_IS_DELETED')
    ) {
      return undefined;
    }
    throw error;
  }
}

/** Whether a record holds every value a write set (field names in any case, as Salesforce reads them). */
export function holdsValues(record: Record<string, unknown>, expected: Record<string, unknown>): boolean {
  const actual = new Map(Object.entries(record).map(([name, value]) => [name.toLowerCase(), value]));
  return Object.entries(expected).every(([name, value]) => sameValue(value, actual.get(name.toLowerCase())));
}

function sameValue(expected: unknown, actual: unknown): boolean {
  const empty = (value: unknown) => value === null || value === undefined || value === '';
  if (empty(expected) || empty(actual)) return empty(expected) && empty(actual);
  if (typeof expected === 'number' || typeof expected === 'boolean')
    return String(expected) === String(actual);
  if (typeof expected !== 'string' || typeof actual !== 'string') return false;
  if (expected === actual) return true;
  // A date or date-time written one way and read back another (`…Z` against `…+0000`).
  const isoLike = /^\d{4}-\d{2}-\d{2}/;
  return (
    isoLike.test(expected) &&
    isoLike.test(actual) &&
    !Number.isNaN(Date.parse(expected)) &&
    Date.parse(expected) === Date.parse(actual.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))
  );
}
