import { z } from 'zod';

/**
 * Which Salesforce tools an agent has and how each may run. Every check here runs on the server
 * for every call: the model is only ever offered the tools that are not disabled, but a model can
 * emit a call to a tool it was not given, so `decideToolCall` is the gate, not the offer.
 *
 * `next_page` has no level of its own: it continues the result of another tool, so it inherits
 * that tool's level at the moment it is called (disabling `query_records` also stops paging
 * through a query already run).
 */

/** The tools an admin sets a level for. */
export const CONFIGURABLE_TOOL_NAMES = [
  'search_records',
  'get_record',
  'query_records',
  'describe_object',
  'create_record',
  'update_record',
  'delete_record',
] as const;

/** Every tool; `next_page` has no level of its own (it continues a query already allowed). */
export const TOOL_NAMES = [...CONFIGURABLE_TOOL_NAMES, 'next_page'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

export type ConfigurableToolName = (typeof CONFIGURABLE_TOOL_NAMES)[number];

/** The tools whose results can be longer than one page, and so can be continued with `next_page`. */
export const PAGINATED_TOOL_NAMES = [
  'search_records',
  'query_records',
] as const satisfies readonly ToolName[];
export type PaginatedToolName = (typeof PAGINATED_TOOL_NAMES)[number];

export const PERMISSION_LEVELS = ['always_allow', 'needs_approval', 'disabled'] as const;
export type PermissionLevel = (typeof PERMISSION_LEVELS)[number];

export const DEFAULT_PERMISSIONS: Readonly<Record<ConfigurableToolName, PermissionLevel>> = {
  search_records: 'always_allow',
  get_record: 'always_allow',
  query_records: 'always_allow',
  describe_object: 'always_allow',
  create_record: 'needs_approval',
  update_record: 'needs_approval',
  delete_record: 'disabled',
};

export const permissionLevelSchema = z.enum(PERMISSION_LEVELS);

const permissionsSchema = z
  .object({
    search_records: permissionLevelSchema.default(DEFAULT_PERMISSIONS.search_records),
    get_record: permissionLevelSchema.default(DEFAULT_PERMISSIONS.get_record),
    query_records: permissionLevelSchema.default(DEFAULT_PERMISSIONS.query_records),
    describe_object: permissionLevelSchema.default(DEFAULT_PERMISSIONS.describe_object),
    create_record: permissionLevelSchema.default(DEFAULT_PERMISSIONS.create_record),
    update_record: permissionLevelSchema.default(DEFAULT_PERMISSIONS.update_record),
    delete_record: permissionLevelSchema.default(DEFAULT_PERMISSIONS.delete_record),
  })
  .strict();

/**
 * An agent's Salesforce connector settings as an admin submits them. Missing permissions take the
 * defaults; `next_page` or an unknown tool in `permissions` is refused (it has no level of its own).
 * A shared connection must be named, and a per-user connector must not name one — a stale id left
 * behind after switching methods would otherwise be silently kept.
 */
export const connectorSettingsSchema = z
  .object({
    connectionMethod: z.enum(['per_user', 'shared']).default('per_user'),
    sharedConnectionId: z.string().trim().min(1).max(100).optional(),
    permissions: permissionsSchema.default({ ...DEFAULT_PERMISSIONS }),
  })
  .strict()
  .superRefine((settings, context) => {
    if (settings.connectionMethod === 'shared' && settings.sharedConnectionId === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['sharedConnectionId'],
        message: 'A shared connector needs the organization connection to use.',
      });
    }
    if (settings.connectionMethod === 'per_user' && settings.sharedConnectionId !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['sharedConnectionId'],
        message: 'Each person uses their own connection with the per-user method; remove sharedConnectionId.',
      });
    }
  });

export type ConnectorSettings = z.output<typeof connectorSettingsSchema>;

export function defaultConnectorSettings(): ConnectorSettings {
  return { connectionMethod: 'per_user', permissions: { ...DEFAULT_PERMISSIONS } };
}

export function isToolName(name: unknown): name is ToolName {
  return typeof name === 'string' && (TOOL_NAMES as readonly string[]).includes(name);
}

export function isPaginatedToolName(name: unknown): name is PaginatedToolName {
  return typeof name === 'string' && (PAGINATED_TOOL_NAMES as readonly string[]).includes(name);
}

/**
 * The level that applies to a call. For `next_page` it is the level of the tool that produced the
 * cursor; a cursor of unknown origin is treated as disabled.
 */
export function effectiveLevel(
  settings: ConnectorSettings,
  toolName: ToolName,
  continuedTool?: ToolName,
): PermissionLevel {
  if (toolName === 'next_page') {
    return isPaginatedToolName(continuedTool) ? settings.permissions[continuedTool] : 'disabled';
  }
  return settings.permissions[toolName];
}

/** The tools to offer the model: disabled ones are left out, and `next_page` only when something can page. */
export function toolsOfferedToModel(settings: ConnectorSettings): ToolName[] {
  const offered: ToolName[] = CONFIGURABLE_TOOL_NAMES.filter(
    (name) => settings.permissions[name] !== 'disabled',
  );
  if (PAGINATED_TOOL_NAMES.some((name) => settings.permissions[name] !== 'disabled'))
    offered.push('next_page');
  return offered;
}

export type ToolCallDecision = 'execute' | 'ask' | 'refuse';

/**
 * What to do with a call the model made. Unknown tool names are refused like disabled ones. For
 * `next_page`, pass the tool whose cursor it continues (held with the cursor, never taken from the
 * model's input).
 */
export function decideToolCall(
  settings: ConnectorSettings,
  toolName: string,
  options: { continuedTool?: ToolName } = {},
): ToolCallDecision {
  if (!isToolName(toolName)) return 'refuse';
  const level = effectiveLevel(settings, toolName, options.continuedTool);
  if (level === 'always_allow') return 'execute';
  if (level === 'needs_approval') return 'ask';
  return 'refuse';
}
