/**
 * The org data file: one JSON document holding an emulated org (name, settings, profiles, users,
 * connected apps, records by object), versioned so a later emulator can read or refuse it knowingly.
 * This module validates the document's shape; load-org-data.ts checks it against the schema.
 */
import { z } from 'zod';
import { connectedAppsSchema } from '../oauth/app-definition.ts';
import { PASSWORD_HASH_PATTERN } from '../org/org.ts';
import { customFieldsSchema, customObjectsSchema } from '../schema/custom-schema.ts';
import { profileDefinitionSchema } from '../security/profiles.ts';
import { sharingModelsSchema } from '../security/sharing.ts';

export const ORG_DATA_FORMAT = 'forcefield-emulator-org';
export const ORG_DATA_VERSION = 1;

export interface OrgDataIssue {
  /** Where the bad value is, e.g. `records.Contact[3].AccountId` (empty for the whole document). */
  path: string;
  message: string;
}

export type OrgDataErrorCode = 'INVALID_JSON' | 'UNSUPPORTED_FORMAT' | 'INVALID_DATA';

const SHOWN_ISSUES = 20;

/** Why org data was refused; the message names each bad value's path, fit to show a user as is. */
export class OrgDataError extends Error {
  readonly code: OrgDataErrorCode;
  readonly issues: OrgDataIssue[];

  constructor(code: OrgDataErrorCode, issues: OrgDataIssue[], source?: string) {
    const lines = issues
      .slice(0, SHOWN_ISSUES)
      .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message));
    if (issues.length > SHOWN_ISSUES) lines.push(`… and ${issues.length - SHOWN_ISSUES} more`);
    const subject = source ? `${source}: invalid org data` : 'Invalid org data';
    super(
      lines.length === 1
        ? `${subject}: ${lines[0]}`
        : `${subject} (${issues.length} problems):\n  ${lines.join('\n  ')}`,
    );
    this.name = 'OrgDataError';
    this.code = code;
    this.issues = issues;
  }

  /** The same error, its message saying which file it came from. */
  withSource(source: string): OrgDataError {
    return new OrgDataError(this.code, this.issues, source);
  }
}

/** `records.Contact[3].AccountId` from zod's `['records', 'Contact', 3, 'AccountId']`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text;
}

const userSchema = z
  .object({
    /** Kept so the records that reference the user (OwnerId, CreatedById) survive a round trip. */
    id: z.string().optional(),
    username: z
      .string()
      .trim()
      .regex(/^[^\s@]+@[^\s@]+$/, 'expected a username in the form of an email address'),
    firstName: z.string().trim().min(1).max(40),
    lastName: z.string().trim().min(1).max(80),
    profile: z.string().trim().min(1),
    title: z.string().max(80).optional(),
    active: z.boolean().default(true),
    /** A hand-written file's test password; a saved file holds passwordHash instead. */
    password: z.string().min(1).optional(),
    passwordHash: z
      .string()
      .regex(PASSWORD_HASH_PATTERN, 'expected sha256$<salt>$<hex digest>, as a saved file writes it')
      .optional(),
  })
  .strict()
  .refine((user) => (user.password === undefined) !== (user.passwordHash === undefined), {
    message: 'give exactly one of password and passwordHash',
    path: ['password'],
  });

const settingsSchema = z
  .object({
    /** Access tokens expire after this many seconds of inactivity. */
    sessionTimeoutSeconds: z.number().int().positive().optional(),
    dailyApiRequestLimit: z.number().int().positive().optional(),
    /** Organization-wide defaults of the sales objects (Private, Read, ReadWrite). */
    sharingModels: sharingModelsSchema.optional(),
  })
  .strict();

/**
 * Records by object API name. Each record's shape (an object of field names) is checked while it
 * is read against the schema, not here: zod copying a million records would double the load time.
 */
const recordsSchema = z.record(z.string(), z.array(z.unknown(), { error: 'expected an array of records' }));

export const orgDataSchema = z
  .object({
    format: z.literal(ORG_DATA_FORMAT),
    version: z.literal(ORG_DATA_VERSION),
    name: z.string().trim().min(1).max(80).optional(),
    settings: settingsSchema.default({}),
    /** Custom profiles (the built-ins always exist). Omitted: the emulator's default custom profiles. */
    profiles: z.array(profileDefinitionSchema).optional(),
    /** Omitted: the demo users. */
    users: z
      .array(userSchema)
      .min(1, 'an org needs at least one user (it owns the loaded records)')
      .optional(),
    /** Omitted: the demo connected app. */
    connectedApps: connectedAppsSchema.optional(),
    /** Custom objects (`Invoice__c`), with their custom fields. */
    customObjects: customObjectsSchema.default([]),
    /** Custom fields of standard objects, by object API name. */
    customFields: customFieldsSchema.default({}),
    records: recordsSchema.default({}),
  })
  .strict();

/** An org data document as written (hand-written or saved): what loading accepts. */
export type OrgDataInput = z.input<typeof orgDataSchema>;
/** An org data document after shape validation, defaults applied. */
export type OrgData = z.output<typeof orgDataSchema>;
export type OrgDataUser = z.output<typeof userSchema>;

/**
 * Validates a document's shape (not yet its records against the schema). The format and version
 * are checked first, so a file of another kind gets one clear sentence rather than a list of issues.
 */
export function parseOrgData(input: unknown): OrgData {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new OrgDataError('UNSUPPORTED_FORMAT', [{ path: '', message: 'expected a JSON object' }]);
  }
  const { format, version } = input as Record<string, unknown>;
  if (format !== ORG_DATA_FORMAT) {
    throw new OrgDataError('UNSUPPORTED_FORMAT', [
      {
        path: 'format',
        message: `expected "${ORG_DATA_FORMAT}" (not a Forcefield emulator org file), got ${JSON.stringify(format) ?? 'nothing'}`,
      },
    ]);
  }
  if (version !== ORG_DATA_VERSION) {
    throw new OrgDataError('UNSUPPORTED_FORMAT', [
      {
        path: 'version',
        message: `unsupported version ${JSON.stringify(version) ?? '(missing)'}: this emulator reads version ${ORG_DATA_VERSION}`,
      },
    ]);
  }
  const parsed = orgDataSchema.safeParse(input);
  if (!parsed.success) {
    throw new OrgDataError(
      'INVALID_DATA',
      parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
    );
  }
  return parsed.data;
}

/** Parses JSON text into a document (shape-validated); `source` (a file name) prefixes any error. */
export function parseOrgDataJson(text: string, source?: string): OrgData {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new OrgDataError('INVALID_JSON', [{ path: '', message: `malformed JSON: ${detail}` }], source);
  }
  try {
    return parseOrgData(json);
  } catch (error) {
    throw error instanceof OrgDataError && source ? error.withSource(source) : error;
  }
}
