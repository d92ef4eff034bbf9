/**
 * The ranking of what the suggestion lookups found (suggestions.ts), each suggestion with the
 * reason a person reads: the active opportunity first, then the participants' contacts and leads,
 * their accounts, and the accounts' open cases.
 */
import { type RecordRow, recordRow } from './record-rows.ts';
import type { SalesforceRow, SuggestionResults } from './suggestions.ts';

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
