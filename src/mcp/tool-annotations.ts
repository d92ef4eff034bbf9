import type { ToolName } from '../agent/tools/tool-permissions.ts';

/**
 * How each Salesforce tool behaves, as MCP annotations. Clients may use them to decide what to
 * confirm; they are hints only — the permission level is enforced on the server whatever a
 * client does with them. `openWorldHint` is false: every tool works inside one Salesforce org,
 * a closed set of records, not the open web.
 */
export interface ToolAnnotations {
  title: string;
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

const read = (title: string, idempotent = true): ToolAnnotations => ({
  title,
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: idempotent,
  openWorldHint: false,
});

export const TOOL_ANNOTATIONS: Record<ToolName | 'approval_status', ToolAnnotations> = {
  search_records: read('Search Salesforce records'),
  get_record: read('Read a Salesforce record'),
  query_records: read('Query Salesforce (read-only SOQL)'),
  describe_object: read('Describe a Salesforce object'),
  // A cursor is used up by reading its page: calling again with it does not answer the same.
  next_page: read('Next page of a result', false),
  create_record: {
    title: 'Create a Salesforce record',
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: false,
  },
  update_record: {
    title: 'Update a Salesforce record',
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: true,
    openWorldHint: false,
  },
  delete_record: {
    title: 'Delete a Salesforce record',
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: true,
    openWorldHint: false,
  },
  approval_status: read('Status of an approval'),
};
