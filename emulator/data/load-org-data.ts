/**
 * Builds an org from an org data document. Everything is checked before the org is handed out
 * (field names and types against the schema, ids, references between records, users and
 * profiles), each check reporting all it finds (up to 1000) with their paths; the org under
 * construction is a fresh object, so a bad document never leaves anything half-loaded.
 */
import type { Clock } from '../core/clock.ts';
import { SalesforceApiError } from '../core/errors.ts';
import { type IdGenerator, normalizeId } from '../core/ids.ts';
import { DEMO_USERS, Org } from '../org/org.ts';
import { applyDerivedFields } from '../records/behaviours.ts';
import { coerceFieldValue } from '../records/coerce.ts';
import { applyDefaults, checkRequired } from '../records/dml.ts';
import { buildSchemaDefinitions } from '../schema/custom-schema.ts';
import type { Field, SObjectType } from '../schema/schema.ts';
import { standardObjects } from '../schema/standard-objects.ts';
import type { StoredRecord } from '../schema/types.ts';
import {
  DEFAULT_CUSTOM_PROFILES,
  READ_ONLY,
  STANDARD_USER,
  SYSTEM_ADMINISTRATOR,
} from '../security/profiles.ts';
import {
  type OrgData,
  OrgDataError,
  type OrgDataIssue,
  type OrgDataUser,
  parseOrgData,
} from './org-data-format.ts';

export interface OrgDataLoadOptions {
  clock?: Clock;
  /** Ids this generator handed out are not handed out again (loading into a running org). */
  idsInUse?: IdGenerator;
  /** Wins over the document's settings (a command-line flag over the file). */
  sessionTimeoutSeconds?: number;
  dailyApiRequestLimit?: number;
}

/** Objects whose records the document describes elsewhere, never under `records`. */
const MANAGED_OBJECTS: Record<string, string> = {
  User: 'users are defined under "users" (with their passwords), not under records',
  Organization: 'the Organization record is made from "name" and "settings", not loaded from records',
  Profile: 'profiles are defined under "profiles" (the built-ins always exist), not under records',
};

/** Stop collecting after this many: a broken million-record file must not build a million messages. */
const MAX_ISSUES = 1000;

class IssueList {
  readonly issues: OrgDataIssue[] = [];

  add(path: string, message: string): void {
    if (this.issues.length < MAX_ISSUES) this.issues.push({ path, message });
  }

  get full(): boolean {
    return this.issues.length >= MAX_ISSUES;
  }

  throwIfAny(): void {
    if (this.issues.length > 0) throw new OrgDataError('INVALID_DATA', this.issues);
  }
}

interface PendingRecord {
  object: SObjectType;
  /** `records.Contact[3]`: where the record is in the document. */
  path: string;
  record: StoredRecord;
  /** The fields the document gives (before defaults): derived values never replace these. */
  given: Set<string>;
  /** Whether the record names every field of its object (a saved file's): no defaults, nothing derived. */
  complete: boolean;
}

/** A Salesforce error's message without the field label it starts with (the path already names the field). */
function messageOf(error: SalesforceApiError, field?: Field): string {
  const message = error.message;
  return field && message.startsWith(`${field.label}: `) ? message.slice(field.label.length + 2) : message;
}

function checkUsers(data: OrgData, users: OrgDataUser[], issues: IssueList): void {
  // Profile names are unique ignoring case, as on Salesforce; a custom one may replace a default custom one.
  const builtIn = [SYSTEM_ADMINISTRATOR, STANDARD_USER, READ_ONLY].map((name) => name.toLowerCase());
  const profileNames = new Map<string, string>();
  for (const name of [
    SYSTEM_ADMINISTRATOR,
    STANDARD_USER,
    READ_ONLY,
    ...DEFAULT_CUSTOM_PROFILES.map((profile) => profile.name),
  ])
    profileNames.set(name.toLowerCase(), name);
  const defined = new Set<string>();
  for (const [index, profile] of (data.profiles ?? []).entries()) {
    const key = profile.name.toLowerCase();
    if (defined.has(key) || builtIn.includes(key)) {
      issues.add(`profiles[${index}].name`, `duplicate profile name "${profile.name}"`);
    }
    defined.add(key);
    profileNames.set(key, profile.name);
  }
  const ids = new Map<string, number>();
  const usernames = new Map<string, number>();
  for (const [index, user] of users.entries()) {
    if (user.id !== undefined) {
      const id = normalizeId(user.id);
      if (!id?.startsWith('005'))
        issues.add(`users[${index}].id`, `expected a User id (005…), got "${user.id}"`);
      else if (ids.has(id))
        issues.add(`users[${index}].id`, `duplicate id ${id} (also users[${ids.get(id)}])`);
      else ids.set(id, index);
    }
    const username = user.username.toLowerCase();
    if (usernames.has(username)) {
      issues.add(
        `users[${index}].username`,
        `duplicate username ${user.username} (also users[${usernames.get(username)}])`,
      );
    }
    usernames.set(username, index);
    if (!profileNames.has(user.profile.toLowerCase())) {
      issues.add(
        `users[${index}].profile`,
        `unknown profile "${user.profile}" (known: ${[...profileNames.values()].join(', ')})`,
      );
    }
  }
}

/** Reads each record's fields against the schema: names resolved, values coerced to their types. */
function readRecords(org: Org, data: OrgData, issues: IssueList): PendingRecord[] {
  const pending: PendingRecord[] = [];
  const seenIds = new Map<string, Map<string, string>>();
  for (const [objectKey, records] of Object.entries(data.records)) {
    const object = org.schema.object(objectKey);
    if (!object) {
      issues.add(`records.${objectKey}`, `unknown object "${objectKey}"`);
      continue;
    }
    if (MANAGED_OBJECTS[object.name]) {
      issues.add(`records.${objectKey}`, MANAGED_OBJECTS[object.name]);
      continue;
    }
    let seen = seenIds.get(object.name);
    if (!seen) {
      seen = new Map();
      seenIds.set(object.name, seen);
    }
    for (const [index, raw] of records.entries()) {
      if (issues.full) return pending;
      const path = `records.${objectKey}[${index}]`;
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
        issues.add(path, 'expected a record: an object of field names and values');
        continue;
      }
      const record: StoredRecord = {};
      let valid = true;
      for (const [key, value] of Object.entries(raw)) {
        if (key === 'attributes') continue; // Salesforce's JSON carries it; it is not a field.
        const field = org.schema.field(object.name, key);
        if (!field) {
          issues.add(`${path}.${key}`, `no field "${key}" on ${object.name}`);
          valid = false;
          continue;
        }
        if (field.name in record) {
          issues.add(`${path}.${key}`, `field ${field.name} given twice`);
          valid = false;
          continue;
        }
        try {
          record[field.name] = coerceFieldValue(field, value);
        } catch (error) {
          if (!(error instanceof SalesforceApiError)) throw error;
          issues.add(`${path}.${key}`, messageOf(error, field));
          valid = false;
        }
      }
      const id = record.Id;
      if (typeof id === 'string') {
        if (!id.startsWith(object.keyPrefix)) {
          issues.add(`${path}.Id`, `a ${object.name} id starts with ${object.keyPrefix}, got ${id}`);
          valid = false;
        } else if (seen.has(id)) {
          issues.add(`${path}.Id`, `duplicate id ${id} (also ${seen.get(id)})`);
          valid = false;
        } else {
          seen.set(id, path);
        }
      }
      if (valid) {
        const given = new Set(Object.keys(record));
        pending.push({ object, path, record, given, complete: given.size === object.fields.length });
      }
    }
  }
  return pending;
}

/** What a hand-written record leaves out: its id, system fields, owner, and the fields' defaults. */
function completeRecord(org: Org, entry: PendingRecord, issues: IssueList): void {
  const { object, record } = entry;
  record.Id ??= org.ids.next(object.keyPrefix);
  const creatorId = typeof record.CreatedById === 'string' ? record.CreatedById : org.adminUserId;
  const system = org.systemFields(creatorId);
  record.IsDeleted ??= false;
  record.CreatedDate ??= system.CreatedDate;
  record.CreatedById ??= creatorId;
  record.LastModifiedDate ??= record.CreatedDate;
  record.LastModifiedById ??= record.CreatedById;
  record.SystemModstamp ??= record.LastModifiedDate;
  if (object.owned) record.OwnerId ??= record.CreatedById;
  applyDefaults(object, record);
  try {
    checkRequired(object, record);
  } catch (error) {
    if (!(error instanceof SalesforceApiError)) throw error;
    issues.add(entry.path, messageOf(error));
  }
}

/** A lookup must name a record of one of its target objects somewhere in the document. */
function checkReferences(org: Org, pending: PendingRecord[], issues: IssueList): void {
  for (const { object, path, record } of pending) {
    for (const field of object.fields) {
      const value = record[field.name];
      if (field.type !== 'reference' || typeof value !== 'string') continue;
      const targetNames = field.referenceTo ?? [];
      const targets = targetNames
        .map((name) => org.schema.object(name))
        .filter((target): target is SObjectType => target !== undefined);
      const typed = targets.filter((target) => value.startsWith(target.keyPrefix));
      if (typed.length === 0) {
        // A target the emulator does not model (RecordType, ContentVersion) can't be checked.
        if (targets.length < targetNames.length) continue;
        issues.add(`${path}.${field.name}`, `expected an id of ${targetNames.join(' or ')}, got ${value}`);
      } else if (!typed.some((target) => org.store.get(target.name, value))) {
        issues.add(
          `${path}.${field.name}`,
          `no ${typed.map((target) => target.name).join(' or ')} with id ${value} in the data`,
        );
      }
    }
  }
}

/** A unique field (custom unique or unique external id) may hold a value once per object. */
function checkUniqueValues(org: Org, pending: PendingRecord[], issues: IssueList): void {
  for (const { object, path, record } of pending) {
    for (const field of object.fields) {
      const value = record[field.name];
      if (field.unique !== true || value === null || value === undefined || record.IsDeleted === true)
        continue;
      const table = org.store.table(object.name);
      const other = [...(table.lookup(field.name, value) ?? [])].find(
        (id) => id !== record.Id && table.records.get(id)?.IsDeleted !== true,
      );
      if (other !== undefined) {
        issues.add(`${path}.${field.name}`, `duplicate value ${JSON.stringify(value)} (also on ${other})`);
      }
    }
  }
}

/**
 * Full names, stage and status flags, activity account ids, event times, note previews: what the
 * platform computes on save, filled in only where a hand-written record leaves the field out.
 */
function deriveMissingFields(org: Org, pending: PendingRecord[], issues: IssueList): void {
  let nextCaseNumber = 1001;
  for (const { object, record } of pending) {
    if (object.name === 'Case' && typeof record.CaseNumber === 'string' && /^\d+$/.test(record.CaseNumber)) {
      nextCaseNumber = Math.max(nextCaseNumber, Number(record.CaseNumber) + 1);
    }
  }
  const fileContentDocuments = pending.filter((entry) => entry.object.name === 'ContentDocument');
  for (const entry of pending) {
    // Derivation would find the link itself and call it a duplicate; a link derives nothing else.
    if (entry.complete || entry.object.name === 'ContentDocumentLink') continue;
    const { object, record } = entry;
    const written = entry.given;
    const derived = { ...record };
    try {
      applyDerivedFields(org, object, derived, undefined, record.LastModifiedById as string);
    } catch (error) {
      if (!(error instanceof SalesforceApiError)) throw error;
      issues.add(entry.path, messageOf(error));
      continue;
    }
    if (object.name === 'Case' && !written.has('CaseNumber'))
      derived.CaseNumber = String(nextCaseNumber++).padStart(8, '0');
    for (const [name, value] of Object.entries(derived)) if (!written.has(name)) record[name] = value;
    org.store.insert(object.name, record);
  }
  // A ContentNote's derivation writes its ContentDocument twin; one the file gives wins.
  for (const { record } of fileContentDocuments) org.store.insert('ContentDocument', record);
}

/**
 * Validates an org data document (parsed JSON, or already parsed) and builds a new org from it.
 * Throws OrgDataError listing every problem, each with its path in the document.
 */
export function createOrgFromData(input: unknown, options: OrgDataLoadOptions = {}): Org {
  const data = parseOrgData(input);
  const issues = new IssueList();
  const users: OrgDataUser[] = data.users ?? DEMO_USERS.map((user) => ({ ...user, active: true }));
  checkUsers(data, users, issues);
  const customSchema = { customObjects: data.customObjects, customFields: data.customFields };
  const schemaIssues = buildSchemaDefinitions(standardObjects, customSchema).issues;
  for (const issue of schemaIssues) issues.add(issue.path, issue.message);
  // Records can only be checked against a schema that holds together.
  if (schemaIssues.length > 0) issues.throwIfAny();
  let org: Org;
  try {
    org = new Org({
      orgName: data.name,
      clock: options.clock,
      sessionTimeoutSeconds: options.sessionTimeoutSeconds ?? data.settings.sessionTimeoutSeconds,
      dailyApiRequestLimit: options.dailyApiRequestLimit ?? data.settings.dailyApiRequestLimit,
      users: [],
      apps: data.connectedApps,
      profiles: data.profiles,
      sharingModels: data.settings.sharingModels,
      customSchema,
    });
  } catch (error) {
    // The security model refuses a profile naming an unknown object or field, or an unknown basedOn.
    const message = error instanceof Error ? error.message : String(error);
    throw new OrgDataError('INVALID_DATA', [{ path: 'profiles', message }]);
  }
  const pending = readRecords(org, data, issues);
  issues.throwIfAny();

  // Ids given in the document are taken first, so the ids handed out below never collide with them.
  if (options.idsInUse) org.ids.advancePast(options.idsInUse);
  for (const user of users) if (user.id !== undefined) org.ids.observe(normalizeId(user.id)!);
  for (const { record } of pending) if (typeof record.Id === 'string') org.ids.observe(record.Id);
  for (const [index, user] of users.entries()) {
    try {
      const userId = org.addUser({
        id: user.id === undefined ? undefined : normalizeId(user.id),
        username: user.username,
        firstName: user.firstName,
        lastName: user.lastName,
        profile: user.profile,
        title: user.title,
        password: user.password,
        passwordHash: user.passwordHash,
      });
      if (!user.active) org.store.update('User', userId, { IsActive: false });
    } catch (error) {
      issues.add(`users[${index}]`, error instanceof Error ? error.message : String(error));
    }
  }
  issues.throwIfAny();
  // The Organization record was made before any user existed: its creator is the first admin.
  org.store.update('Organization', org.id, {
    CreatedById: org.adminUserId,
    LastModifiedById: org.adminUserId,
  });

  for (const entry of pending) if (!entry.complete) completeRecord(org, entry, issues);
  issues.throwIfAny();
  for (const { object, record } of pending) org.store.insert(object.name, record);
  checkReferences(org, pending, issues);
  checkUniqueValues(org, pending, issues);
  issues.throwIfAny();
  deriveMissingFields(org, pending, issues);
  issues.throwIfAny();
  return org;
}
