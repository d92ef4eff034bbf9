import { z } from 'zod';
import {
  buildSearchSosl,
  isValidFieldPath,
  isValidObjectName,
  NAME_PATTERN,
} from '../salesforce/query-syntax.ts';
import type { SalesforceClient } from '../salesforce/salesforce-client.ts';
import {
  type CompactRemainder,
  compactQueryResult,
  compactRecordText,
  compactSearchResult,
  measureCompaction,
  pageFromRemainder,
  summarizeDescribe,
} from './compact.ts';
import type { PaginatedToolName, ToolName } from './permissions.ts';
import { guardReadOnlySoql, namesInSoql } from './soql-guard.ts';
import { classifyToolError, ToolInputError } from './tool-failures.ts';

/**
 * The Salesforce tools an agent can be given: what the model is told about each (description and
 * input schema) and what each does through the one Salesforce client. Permissions, approvals,
 * audit and the step log are not here (tool-dispatch.ts): these functions only run a call that
 * has already been allowed.
 */

/** The client calls the tools use (the real SalesforceClient, or a stand-in in the benchmark). */
export type AgentSalesforceClient = Pick<
  SalesforceClient,
  'query' | 'queryMore' | 'search' | 'retrieve' | 'describe' | 'create' | 'update' | 'delete'
>;

/** Objects the read tools accept: the standard sales objects and what they reference. */
export const READABLE_OBJECTS = [
  'Account',
  'Contact',
  'Lead',
  'Opportunity',
  'OpportunityContactRole',
  'Case',
  'Task',
  'Event',
  'Note',
  'User',
] as const;
/** Objects the write tools accept. */
export const WRITABLE_OBJECTS = [
  'Account',
  'Contact',
  'Lead',
  'Opportunity',
  'Case',
  'Task',
  'Event',
  'Note',
] as const;
export const SEARCHABLE_OBJECTS = ['Account', 'Contact', 'Lead', 'Opportunity', 'Case'] as const;

/** Fields a search returns per object: enough to tell records apart and pick an id. */
const SEARCH_FIELDS: Record<(typeof SEARCHABLE_OBJECTS)[number], string[]> = {
  Account: ['Id', 'Name', 'Industry', 'BillingCity'],
  Contact: ['Id', 'Name', 'Title', 'Email', 'AccountId'],
  Lead: ['Id', 'Name', 'Company', 'Email', 'Status'],
  Opportunity: ['Id', 'Name', 'StageName', 'CloseDate', 'AccountId'],
  Case: ['Id', 'CaseNumber', 'Subject', 'Status', 'AccountId'],
};

export const MAX_QUERY_LIMIT = 200;
export const DEFAULT_QUERY_LIMIT = 50;
export const PAGE_SIZE = 25;

const recordId = z
  .string()
  .regex(/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/, 'a Salesforce record id (15 or 18 characters)');
const objectName = z
  .string()
  .min(1)
  .max(80)
  .describe('API name of the object, e.g. Account, Contact, Opportunity');
const fieldValue = z.union([z.string().max(32_000), z.number(), z.boolean(), z.null()]);
const fieldValues = z
  .record(z.string().regex(NAME_PATTERN, 'a field API name'), fieldValue)
  .refine((fields) => Object.keys(fields).length > 0 && Object.keys(fields).length <= 100, {
    message: 'give 1 to 100 fields',
  });

export const toolInputSchemas = {
  search_records: z.object({
    term: z.string().min(1).max(500).describe('Words, a name, an email or a phone number to look for'),
    objects: z
      .array(z.enum(SEARCHABLE_OBJECTS))
      .min(1)
      .max(SEARCHABLE_OBJECTS.length)
      .optional()
      .describe('Objects to search; default Account, Contact, Lead, Opportunity'),
    limit: z.number().int().min(1).max(50).optional().describe('Most records per object (default 10)'),
  }),
  get_record: z.object({
    objectType: objectName,
    id: recordId,
    fields: z
      .array(z.string().max(255))
      .max(100)
      .optional()
      .describe('Fields to read; all readable fields when omitted'),
  }),
  query_records: z.object({
    soql: z
      .string()
      .min(1)
      .max(20_000)
      .describe(`One read-only SOQL SELECT statement. A LIMIT of at most ${MAX_QUERY_LIMIT} is enforced.`),
  }),
  describe_object: z.object({ objectType: objectName }),
  create_record: z.object({ objectType: objectName, fields: fieldValues }),
  update_record: z.object({ objectType: objectName, id: recordId, fields: fieldValues }),
  delete_record: z.object({ objectType: objectName, id: recordId }),
  next_page: z.object({ cursor: z.string().min(1).max(100).describe('The cursor from a previous result') }),
} satisfies Record<ToolName, z.ZodType>;

export const toolDescriptions: Record<ToolName, string> = {
  search_records:
    'Full-text search across Salesforce records (SOSL). Use it to find records by name, email, phone or words, and to get their ids. Several matches come as a table per object; a single match as the record itself (`Object Id Name`, then `Field=value` lines).',
  get_record:
    'Read one Salesforce record by object and id. The answer is text: `Object Id Name` on the first line, then one `Field=value` per line; empty fields and audit fields (CreatedById, LastModifiedById…) are left out unless you name them in `fields`.',
  query_records:
    'Run one read-only SOQL SELECT query. Results come as a table (field names once, then rows); use next_page with the cursor for more. Audit fields (CreatedById, LastModifiedById, IsDeleted, SystemModstamp, LastViewedDate) appear only when the query names them.',
  describe_object:
    'The fields of a Salesforce object: names, types, required fields for create, picklist values.',
  create_record: 'Create a Salesforce record. Returns the new id.',
  update_record: 'Change fields of one Salesforce record. Give only the fields to change.',
  delete_record: 'Delete one Salesforce record.',
  next_page: 'The next page of a search or query result that had more (pass its cursor).',
};

export interface ToolEnvironment {
  client: AgentSalesforceClient;
  /** Keeps a remainder in memory and answers its cursor. */
  keepRemainder(remainder: CompactRemainder, tool: PaginatedToolName): string;
  /** The remainder under a cursor of this conversation and connection, taken out of memory. */
  takeRemainder(cursor: string): { remainder: CompactRemainder; tool: PaginatedToolName } | undefined;
}

export type ToolExecution =
  | {
      kind: 'ok';
      output: unknown;
      objectType: string | null;
      recordIds: string[];
      rawBytes?: number;
      contextBytes?: number;
    }
  | {
      kind: 'error' | 'no_access';
      output: unknown;
      objectType: string | null;
      recordIds: string[];
      code: string;
      reason: string;
    };

function canonicalObject(name: string, allowed: readonly string[], purpose: 'read' | 'write'): string {
  if (!isValidObjectName(name))
    throw new ToolInputError('invalid_object', `'${name}' is not a valid object name.`);
  const canonical = allowed.find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  if (!canonical) {
    throw new ToolInputError(
      'object_not_allowed',
      `This agent cannot ${purpose} ${name} records. Objects available: ${allowed.join(', ')}.`,
    );
  }
  return canonical;
}

function recordIdsOf(rows: unknown): string[] {
  const ids: string[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      const id = (value as { Id?: unknown }).Id;
      if (typeof id === 'string') ids.push(id);
      for (const [key, child] of Object.entries(value)) if (key !== 'attributes') visit(child);
    }
  };
  visit(rows);
  return [...new Set(ids)];
}

/** Runs one allowed tool call. Salesforce errors come back classified; only failures throw. */
export async function executeTool(
  toolName: ToolName,
  rawInput: unknown,
  environment: ToolEnvironment,
): Promise<ToolExecution> {
  let objectType: string | null = null;
  let objectLevel = false;
  try {
    switch (toolName) {
      case 'search_records': {
        const input = toolInputSchemas.search_records.parse(rawInput);
        const objects = input.objects ?? ['Account', 'Contact', 'Lead', 'Opportunity'];
        const perObject = input.limit ?? 10;
        const built = buildSearchSosl({
          term: input.term,
          objects: objects.map((name) => ({ name, fields: SEARCH_FIELDS[name], limit: perObject })),
          limit: Math.min(perObject * objects.length, 200),
        });
        if (!built.ok) throw new ToolInputError(built.code, built.message);
        objectType = objects.length === 1 ? objects[0] : null;
        const raw = await environment.client.search(built.sosl);
        if (raw.searchRecords.length === 1) {
          // One match: the record form, denser than a table of one row.
          return ok(compactRecordText(raw.searchRecords[0]), objectType, recordIdsOf(raw.searchRecords), raw);
        }
        const { page, remainder } = compactSearchResult(raw, {
          pageSize: PAGE_SIZE,
          createCursor: () => 'pending',
        });
        const output = withCursor({ ok: true, ...page }, remainder, 'search_records', environment);
        return ok(output, objectType, recordIdsOf(raw.searchRecords), raw);
      }
      case 'get_record': {
        const input = toolInputSchemas.get_record.parse(rawInput);
        objectType = canonicalObject(input.objectType, READABLE_OBJECTS, 'read');
        const fields = input.fields ?? [];
        const badField = fields.find((field) => !isValidFieldPath(field));
        if (badField !== undefined)
          throw new ToolInputError('invalid_field', `'${badField}' is not a valid field name.`);
        const raw = await environment.client.retrieve(objectType, input.id, fields);
        return ok(compactRecordText(raw, { requestedFields: fields }), objectType, [input.id], raw);
      }
      case 'query_records': {
        const input = toolInputSchemas.query_records.parse(rawInput);
        const guarded = guardReadOnlySoql(input.soql, {
          allowedObjects: READABLE_OBJECTS,
          maxLimit: MAX_QUERY_LIMIT,
          defaultLimit: DEFAULT_QUERY_LIMIT,
        });
        if (!guarded.ok) throw new ToolInputError(`soql_${guarded.code}`, guarded.message);
        objectType = guarded.object;
        const raw = await environment.client.query(guarded.soql);
        const { page, remainder } = compactQueryResult(raw, {
          pageSize: PAGE_SIZE,
          createCursor: () => 'pending',
          requestedFields: namesInSoql(guarded.soql),
        });
        const output = withCursor(
          { ok: true, soql: guarded.soql, ...page },
          remainder,
          'query_records',
          environment,
        );
        return ok(output, objectType, recordIdsOf(raw.records), raw);
      }
      case 'describe_object': {
        const input = toolInputSchemas.describe_object.parse(rawInput);
        objectType = canonicalObject(input.objectType, READABLE_OBJECTS, 'read');
        objectLevel = true;
        const raw = await environment.client.describe(objectType);
        return ok({ ok: true, ...summarizeDescribe(raw) }, objectType, [], raw);
      }
      case 'create_record': {
        const input = toolInputSchemas.create_record.parse(rawInput);
        objectType = canonicalObject(input.objectType, WRITABLE_OBJECTS, 'write');
        const saved = await environment.client.create(objectType, input.fields, AUDITED_BY_DISPATCHER);
        return ok({ ok: true, id: saved.id }, objectType, [saved.id]);
      }
      case 'update_record': {
        const input = toolInputSchemas.update_record.parse(rawInput);
        objectType = canonicalObject(input.objectType, WRITABLE_OBJECTS, 'write');
        await environment.client.update(objectType, input.id, input.fields, AUDITED_BY_DISPATCHER);
        return ok({ ok: true, id: input.id, updatedFields: Object.keys(input.fields) }, objectType, [
          input.id,
        ]);
      }
      case 'delete_record': {
        const input = toolInputSchemas.delete_record.parse(rawInput);
        objectType = canonicalObject(input.objectType, WRITABLE_OBJECTS, 'write');
        await environment.client.delete(objectType, input.id, AUDITED_BY_DISPATCHER);
        return ok({ ok: true, id: input.id, deleted: true }, objectType, [input.id]);
      }
      case 'next_page': {
        const input = toolInputSchemas.next_page.parse(rawInput);
        const kept = environment.takeRemainder(input.cursor);
        if (!kept) {
          throw new ToolInputError(
            'cursor_unknown',
            'This cursor is unknown, used already, or expired. Run the search or query again.',
          );
        }
        objectType = kept.remainder.object ?? null;
        const options = { pageSize: PAGE_SIZE, createCursor: () => 'pending' };
        if (kept.remainder.records.length === 0 && kept.remainder.nextRecordsUrl) {
          // The rows shown so far were Salesforce's whole batch: fetch its next one.
          const raw = await environment.client.queryMore(kept.remainder.nextRecordsUrl);
          const { page, remainder } = compactQueryResult(raw, {
            ...options,
            alreadyShown: kept.remainder.shown,
            ...(kept.remainder.requestedFields ? { requestedFields: kept.remainder.requestedFields } : {}),
          });
          const output = withCursor({ ok: true, ...page }, remainder, kept.tool, environment);
          return ok(output, objectType, recordIdsOf(raw.records), raw);
        }
        const { page, remainder } = pageFromRemainder(kept.remainder, options);
        const output = withCursor({ ok: true, ...page }, remainder, kept.tool, environment);
        return ok(output, objectType, idsOfPage(page));
      }
    }
  } catch (error) {
    return classifyToolError(error, { objectType, objectLevel });
  }
}

/** The ids in a compacted page (the `Id` column of each table). */
function idsOfPage(page: {
  fields?: string[];
  rows?: unknown[][];
  results?: Array<{ fields: string[]; rows: unknown[][] }>;
}) {
  const tables = page.results ?? [{ fields: page.fields ?? [], rows: page.rows ?? [] }];
  return tables.flatMap((table) => {
    const column = table.fields.indexOf('Id');
    return column < 0
      ? []
      : table.rows.map((row) => row[column]).filter((id): id is string => typeof id === 'string');
  });
}

/** Writes are audited once, by the dispatcher, with the agent, conversation and tool. */
const AUDITED_BY_DISPATCHER = { kind: 'audited-by-caller', action: 'agent.tool_call' } as const;

function ok(output: unknown, objectType: string | null, recordIds: string[], raw?: unknown): ToolExecution {
  if (raw === undefined) return { kind: 'ok', output, objectType, recordIds };
  const measured = measureCompaction(raw, output);
  return {
    kind: 'ok',
    output,
    objectType,
    recordIds,
    rawBytes: measured.rawBytes,
    contextBytes: measured.compactBytes,
  };
}

/** Replaces the placeholder cursor of a page with a real one once the remainder is kept. */
function withCursor<Page extends { more?: { remaining: number; cursor: string } }>(
  page: Page,
  remainder: CompactRemainder | null,
  tool: PaginatedToolName,
  environment: ToolEnvironment,
): Page {
  if (!remainder || !page.more) return page;
  return { ...page, more: { ...page.more, cursor: environment.keepRemainder(remainder, tool) } };
}
