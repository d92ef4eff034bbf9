/**
 * Record suggestions for a meeting, in at most two Salesforce API calls (each a composite request,
 * which Salesforce counts as one call however many subrequests it holds):
 *
 *  1. `contacts` and `leads` (unconverted) whose Email is one of the external participants' emails;
 *  2. for the Accounts of the contacts found: the `accounts` themselves, their open `opportunities`
 *     and open `cases`. Skipped when no contact has an account.
 *
 * Subrequests run with allOrNone false, so an object the user cannot read (INVALID_TYPE) costs only
 * its own suggestions. The builders are pure: they return the composite request bodies.
 */
import { type ReadableFields, selectableRowPaths } from './record-rows.ts';
import type { LinkableRecordType } from './record-types.ts';
import { soqlLiteral } from './soql-literal.ts';

export interface CompositeSubrequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  referenceId: string;
  body?: Record<string, unknown>;
}

export interface CompositeRequestBody {
  allOrNone: boolean;
  compositeRequest: CompositeSubrequest[];
}

export interface CompositeResponseBody {
  compositeResponse: Array<{ body: unknown; httpStatusCode: number; referenceId: string }>;
}

export interface SuggestionOptions {
  /** The REST API version, e.g. `66.0`. */
  apiVersion: string;
  /** Readable fields per object (from describe); objects absent from it are not queried. */
  readable?: ReadableFields;
}

/** Enough for any real meeting, and keeps each IN list far below SOQL's statement length limit. */
export const MAX_SUGGESTION_EMAILS = 100;
const MAX_ACCOUNTS = 100;
const ROWS_PER_QUERY = 100;

/** Fields every profile can read, so they are selected without consulting `readable`. */
const ALWAYS_READABLE = new Set(['Id', 'IsClosed', 'IsConverted', 'LastModifiedDate']);

function selectList(type: LinkableRecordType, extra: readonly string[], readable?: ReadableFields): string {
  const readableFields = readable ? new Set(readable[type] ?? []) : undefined;
  const extras = extra.filter(
    (field) => ALWAYS_READABLE.has(field) || readableFields === undefined || readableFields.has(field),
  );
  const paths = selectableRowPaths(type, readable);
  return ['Id', ...paths, ...extras.filter((field) => !paths.includes(field))].join(', ');
}

function canRead(type: LinkableRecordType, readable?: ReadableFields): boolean {
  return readable === undefined || readable[type] !== undefined;
}

function querySubrequest(apiVersion: string, referenceId: string, soql: string): CompositeSubrequest {
  return {
    method: 'GET',
    url: `/services/data/v${apiVersion}/query?q=${encodeURIComponent(soql)}`,
    referenceId,
  };
}

function inList(values: readonly string[]): string {
  return `(${values.map(soqlLiteral).join(', ')})`;
}

/** The external participants' emails, lower-cased (Salesforce compares emails case-insensitively), once each. */
export function externalEmails(participants: ReadonlyArray<{ email: string; internal: boolean }>): string[] {
  const emails = new Set<string>();
  for (const participant of participants) {
    if (participant.internal) continue;
    const email = participant.email.trim().toLowerCase();
    if (email !== '') emails.add(email);
  }
  return [...emails].slice(0, MAX_SUGGESTION_EMAILS);
}

/** One query of a lookup: `SELECT <fields> FROM <type> <rest>`, skipped when the type is unreadable. */
interface LookupQuery {
  type: LinkableRecordType;
  referenceId: string;
  fields: readonly string[];
  rest: string;
}

/** The readable ones of `queries` as one composite request; `null` when none is readable. */
function lookupRequest(
  queries: readonly LookupQuery[],
  options: SuggestionOptions,
): CompositeRequestBody | null {
  const compositeRequest = queries
    .filter((query) => canRead(query.type, options.readable))
    .map((query) =>
      querySubrequest(
        options.apiVersion,
        query.referenceId,
        `SELECT ${selectList(query.type, query.fields, options.readable)} FROM ${query.type} ${query.rest}`,
      ),
    );
  return compositeRequest.length === 0 ? null : { allOrNone: false, compositeRequest };
}

/** Call 1: contacts and unconverted leads by email. `null` when there is nothing to look up. */
export function buildParticipantLookup(
  emails: readonly string[],
  options: SuggestionOptions,
): CompositeRequestBody | null {
  if (emails.length === 0) return null;
  const list = inList(emails.slice(0, MAX_SUGGESTION_EMAILS));
  return lookupRequest(
    [
      {
        type: 'Contact',
        referenceId: 'contacts',
        fields: ['Email', 'AccountId', 'LastActivityDate', 'LastModifiedDate'],
        rest: `WHERE Email IN ${list} ORDER BY LastModifiedDate DESC LIMIT ${ROWS_PER_QUERY}`,
      },
      {
        type: 'Lead',
        referenceId: 'leads',
        fields: ['Email', 'LastActivityDate', 'LastModifiedDate'],
        rest: `WHERE Email IN ${list} AND IsConverted = false ORDER BY LastModifiedDate DESC LIMIT ${ROWS_PER_QUERY}`,
      },
    ],
    options,
  );
}

/** Call 2: the accounts, their open opportunities and open cases. `null` when there are no accounts. */
export function buildAccountLookup(
  accountIds: readonly string[],
  options: SuggestionOptions,
): CompositeRequestBody | null {
  const ids = [...new Set(accountIds)].slice(0, MAX_ACCOUNTS);
  if (ids.length === 0) return null;
  const list = inList(ids);
  return lookupRequest(
    [
      {
        type: 'Account',
        referenceId: 'accounts',
        fields: ['LastActivityDate', 'LastModifiedDate'],
        rest: `WHERE Id IN ${list}`,
      },
      {
        type: 'Opportunity',
        referenceId: 'opportunities',
        fields: ['AccountId', 'IsClosed', 'LastActivityDate', 'LastModifiedDate'],
        rest: `WHERE AccountId IN ${list} AND IsClosed = false ORDER BY CloseDate ASC LIMIT ${ROWS_PER_QUERY}`,
      },
      {
        type: 'Case',
        referenceId: 'cases',
        fields: ['AccountId', 'IsClosed', 'LastModifiedDate'],
        rest: `WHERE AccountId IN ${list} AND IsClosed = false ORDER BY LastModifiedDate DESC LIMIT ${ROWS_PER_QUERY}`,
      },
    ],
    options,
  );
}

export type SalesforceRow = Record<string, unknown>;

export interface SuggestionProblem {
  referenceId: string;
  errorCode: string;
  message: string;
}

export interface SuggestionResults {
  contacts: SalesforceRow[];
  leads: SalesforceRow[];
  accounts: SalesforceRow[];
  opportunities: SalesforceRow[];
  cases: SalesforceRow[];
  /** Subrequests Salesforce refused (e.g. an object the user cannot read); the rest still count. */
  problems: SuggestionProblem[];
}

export function emptySuggestionResults(): SuggestionResults {
  return { contacts: [], leads: [], accounts: [], opportunities: [], cases: [], problems: [] };
}

const RESULT_KEYS = ['contacts', 'leads', 'accounts', 'opportunities', 'cases'] as const;

/** Adds one composite response's query results to `results` (by referenceId). */
export function collectSuggestionResults(results: SuggestionResults, response: CompositeResponseBody): void {
  for (const entry of response.compositeResponse) {
    const key = RESULT_KEYS.find((candidate) => candidate === entry.referenceId);
    if (!key) continue;
    const body = entry.body as
      | { records?: unknown }
      | Array<{ errorCode?: unknown; message?: unknown }>
      | null;
    if (entry.httpStatusCode >= 200 && entry.httpStatusCode < 300 && body && !Array.isArray(body)) {
      const records = Array.isArray(body.records) ? body.records : [];
      for (const record of records) {
        if (typeof record === 'object' && record !== null) results[key].push(record as SalesforceRow);
      }
      continue;
    }
    const first = Array.isArray(body) ? body[0] : undefined;
    results.problems.push({
      referenceId: entry.referenceId,
      errorCode: typeof first?.errorCode === 'string' ? first.errorCode : `HTTP_${entry.httpStatusCode}`,
      message: typeof first?.message === 'string' ? first.message : 'The subrequest failed.',
    });
  }
}

/** The account ids call 2 needs, from the contacts call 1 found. */
export function accountIdsOf(results: SuggestionResults): string[] {
  const ids = new Set<string>();
  for (const contact of results.contacts) {
    if (typeof contact.AccountId === 'string') ids.add(contact.AccountId);
  }
  return [...ids];
}
