import { z } from 'zod';
import { NAME_PATTERN } from '../../salesforce/query-syntax.ts';
import type { SalesforceClient } from '../../salesforce/salesforce-client.ts';
import type { ToolName } from './tool-permissions.ts';

/**
 * The Salesforce tools an agent can be given, as the model is told about them: each tool's
 * description and input schema, and the objects and limits they work within. What each tool does
 * is execute-tool.ts'; permissions, approvals, audit and the step log are the dispatcher's
 * (dispatch/dispatch-tool-call.ts).
 */

/** The client calls the tools use (the real SalesforceClient, or a stand-in in the benchmark). */
export type AgentSalesforceClient = Pick<
  SalesforceClient,
  | 'query'
  | 'queryMore'
  | 'search'
  | 'retrieve'
  | 'retrieveWithVersion'
  | 'describe'
  | 'create'
  | 'update'
  | 'delete'
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
export const SEARCH_FIELDS: Record<(typeof SEARCHABLE_OBJECTS)[number], string[]> = {
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
