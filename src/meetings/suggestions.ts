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
import { type ReadableFields, type RecordRow, recordRow, selectableRowPaths } from './record-rows.ts';
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

type SalesforceRow = Record<string, unknown>;

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

export interface Suggestion extends RecordRow {
  /** One line on why this record is suggested. */
  reason: string;
  /** True for the one record to preselect: the first suggestion. */
  preferred: boolean;
}

function stringField(record: SalesforceRow, name: string): string {
  const value = record[name];
  return typeof value === 'string' ? value : '';
}

function parentName(record: SalesforceRow, relationship: string): string {
  const parent = record[relationship];
  if (typeof parent !== 'object' || parent === null) return '';
  const name = (parent as SalesforceRow).Name;
  return typeof name === 'string' ? name : '';
}

/** Most recent of LastActivityDate (a date) and LastModifiedDate (a datetime), in ms; 0 when neither. */
function lastTouched(record: SalesforceRow): number {
  const activity = Date.parse(stringField(record, 'LastActivityDate'));
  const modified = Date.parse(stringField(record, 'LastModifiedDate'));
  return Math.max(Number.isNaN(activity) ? 0 : activity, Number.isNaN(modified) ? 0 : modified);
}

function person(record: SalesforceRow): string {
  const name = stringField(record, 'Name');
  const email = stringField(record, 'Email');
  return email === '' ? name : `${name} (${email})`;
}

function byName(left: SalesforceRow, right: SalesforceRow): number {
  return stringField(left, 'Name').localeCompare(stringField(right, 'Name'));
}

/**
 * Ranks what the lookups found:
 *
 *  1. open opportunities — the first is "the active opportunity": the close date nearest to today
 *     (either side: an open deal that slipped a week is as live as one closing next week), then the
 *     most recent activity (LastActivityDate or LastModifiedDate), then by name for a stable order;
 *  2. the participants' contacts, then their unconverted leads (most recently touched first);
 *  3. those contacts' accounts;
 *  4. the accounts' open cases (most recently modified first).
 */
export function rankSuggestions(results: SuggestionResults, now: Date): Suggestion[] {
  const today = Date.parse(now.toISOString().slice(0, 10));
  const participants = participantsByAccount(results);
  const suggestions = [
    ...opportunitySuggestions(results, participants, today),
    ...peopleSuggestions(results, participants),
    ...accountSuggestions(results, participants),
    ...caseSuggestions(results, participants),
  ];
  return suggestions.map((suggestion, index) => ({ ...suggestion, preferred: index === 0 }));
}

type Ranked = Omit<Suggestion, 'preferred'>;

/** What the reasons say about an account: its name, and the participants who are its contacts. */
interface ParticipantsByAccount {
  accountName(accountId: string, record?: SalesforceRow): string;
  /** "Dana Lee (dana@globex.example)" or "Dana Lee (dana@globex.example) and 2 other participants". */
  peopleAt(accountId: string): { people: string; count: number };
  /** "Dana Lee (…) is a contact", or '' when no participant is. */
  contactsSentence(accountId: string): string;
}

function participantsByAccount(results: SuggestionResults): ParticipantsByAccount {
  const accountNames = new Map<string, string>();
  for (const account of results.accounts) accountNames.set(String(account.Id), stringField(account, 'Name'));
  const contactsByAccount = new Map<string, SalesforceRow[]>();
  for (const contact of results.contacts) {
    const accountId = stringField(contact, 'AccountId');
    if (accountId === '') continue;
    if (!accountNames.has(accountId) && parentName(contact, 'Account') !== '') {
      accountNames.set(accountId, parentName(contact, 'Account'));
    }
    contactsByAccount.set(accountId, [...(contactsByAccount.get(accountId) ?? []), contact]);
  }
  const peopleAt = (accountId: string): { people: string; count: number } => {
    const contacts = contactsByAccount.get(accountId) ?? [];
    if (contacts.length === 0) return { people: '', count: 0 };
    const others = contacts.length - 1;
    const people =
      others === 0
        ? person(contacts[0])
        : `${person(contacts[0])} and ${others} other participant${others === 1 ? '' : 's'}`;
    return { people, count: contacts.length };
  };
  return {
    accountName: (accountId, record) =>
      accountNames.get(accountId) || (record ? parentName(record, 'Account') : '') || 'this account',
    peopleAt,
    contactsSentence: (accountId) => {
      const { people, count } = peopleAt(accountId);
      if (count === 0) return '';
      return `${people} ${count === 1 ? 'is a contact' : 'are contacts'}`;
    },
  };
}

function opportunitySuggestions(
  results: SuggestionResults,
  participants: ParticipantsByAccount,
  today: number,
): Ranked[] {
  const closeDistance = (opportunity: SalesforceRow): number => {
    const closeDate = Date.parse(stringField(opportunity, 'CloseDate'));
    return Number.isNaN(closeDate) ? Number.POSITIVE_INFINITY : Math.abs(closeDate - today);
  };
  const opportunities = results.opportunities
    .filter((opportunity) => opportunity.IsClosed !== true)
    .sort(
      (left, right) =>
        closeDistance(left) - closeDistance(right) ||
        lastTouched(right) - lastTouched(left) ||
        byName(left, right),
    );
  return opportunities.map((opportunity, index) => {
    const accountId = stringField(opportunity, 'AccountId');
    const account = participants.accountName(accountId, opportunity);
    const closeDate = stringField(opportunity, 'CloseDate');
    const closing =
      closeDate === ''
        ? 'with no close date'
        : Date.parse(closeDate) < today
          ? `whose close date ${closeDate} has passed`
          : `closing ${closeDate}`;
    const who = participants.contactsSentence(accountId);
    const reason =
      index === 0
        ? `${who === '' ? '' : `${who} at ${account}; `}this is ${account}'s open opportunity ${closing}`
        : `Another open opportunity at ${account}, ${closing}${who === '' ? '' : ` (${who} there)`}`;
    return { ...recordRow('Opportunity', opportunity), reason: capitalize(reason) };
  });
}

/** The participants' contacts, then their unconverted leads, most recently touched first. */
function peopleSuggestions(results: SuggestionResults, participants: ParticipantsByAccount): Ranked[] {
  const byLastTouched = (left: SalesforceRow, right: SalesforceRow) => lastTouched(right) - lastTouched(left);
  const contacts = [...results.contacts].sort(byLastTouched).map((contact) => {
    const accountId = stringField(contact, 'AccountId');
    const at = accountId === '' ? '' : ` at ${participants.accountName(accountId, contact)}`;
    return {
      ...recordRow('Contact', contact),
      reason: `${person(contact)} took part in the meeting and is a contact${at}`,
    };
  });
  const leads = [...results.leads].sort(byLastTouched).map((lead) => {
    const company = stringField(lead, 'Company');
    const status = stringField(lead, 'Status');
    return {
      ...recordRow('Lead', lead),
      reason:
        `${person(lead)} took part in the meeting and is a lead` +
        `${company === '' ? '' : ` from ${company}`}${status === '' ? '' : ` (${status})`}`,
    };
  });
  return [...contacts, ...leads];
}

function accountSuggestions(results: SuggestionResults, participants: ParticipantsByAccount): Ranked[] {
  return [...results.accounts].sort(byName).map((account) => {
    const { people, count } = participants.peopleAt(String(account.Id));
    return {
      ...recordRow('Account', account),
      reason:
        count === 0
          ? 'The account of a meeting participant'
          : `The account where ${people} ${count === 1 ? 'works' : 'work'}`,
    };
  });
}

function caseSuggestions(results: SuggestionResults, participants: ParticipantsByAccount): Ranked[] {
  return results.cases
    .filter((record) => record.IsClosed !== true)
    .sort((left, right) => lastTouched(right) - lastTouched(left))
    .map((record) => {
      const status = stringField(record, 'Status');
      const account = participants.accountName(stringField(record, 'AccountId'), record);
      return {
        ...recordRow('Case', record),
        reason: `Open case at ${account}${status === '' ? '' : `, status ${status}`}`,
      };
    });
}

function capitalize(text: string): string {
  return text === '' ? text : text[0].toUpperCase() + text.slice(1);
}
