import { describe, expect, it } from 'vitest';
import {
  CONFIGURABLE_TOOL_NAMES,
  type ConnectorSettings,
  connectorSettingsSchema,
  DEFAULT_PERMISSIONS,
  decideToolCall,
  defaultConnectorSettings,
  PERMISSION_LEVELS,
  toolsOfferedToModel,
} from '../../../src/agent/tools/tool-permissions.ts';
import { EXPECTED_DEFAULT_CONNECTOR } from '../expected-connector.ts';

const withPermissions = (permissions: Partial<ConnectorSettings['permissions']>): ConnectorSettings => ({
  connectionMethod: 'per_user',
  permissions: { ...DEFAULT_PERMISSIONS, ...permissions },
});

describe('connector settings schema', () => {
  it('fills the defaults: per-user, reads always allowed, create/update need approval, delete disabled', () => {
    expect(connectorSettingsSchema.parse({})).toEqual(EXPECTED_DEFAULT_CONNECTOR);
    expect(connectorSettingsSchema.parse({})).toEqual(defaultConnectorSettings());
  });

  it('keeps given levels and defaults the rest', () => {
    const settings = connectorSettingsSchema.parse({ permissions: { delete_record: 'needs_approval' } });
    expect(settings.permissions.delete_record).toBe('needs_approval');
    expect(settings.permissions.create_record).toBe('needs_approval');
  });

  it('requires a connection for the shared method and forbids one for per-user', () => {
    expect(connectorSettingsSchema.safeParse({ connectionMethod: 'shared' }).success).toBe(false);
    expect(
      connectorSettingsSchema.safeParse({ connectionMethod: 'shared', sharedConnectionId: 'conn_1' }).success,
    ).toBe(true);
    const stale = connectorSettingsSchema.safeParse({
      connectionMethod: 'per_user',
      sharedConnectionId: 'conn_1',
    });
    expect(stale.success).toBe(false);
    expect(stale.error?.issues[0]?.path).toEqual(['sharedConnectionId']);
  });

  it('refuses unknown tools, a level for next_page, unknown levels and unknown keys', () => {
    expect(connectorSettingsSchema.safeParse({ permissions: { drop_org: 'always_allow' } }).success).toBe(
      false,
    );
    expect(connectorSettingsSchema.safeParse({ permissions: { next_page: 'always_allow' } }).success).toBe(
      false,
    );
    expect(connectorSettingsSchema.safeParse({ permissions: { get_record: 'sometimes' } }).success).toBe(
      false,
    );
    expect(connectorSettingsSchema.safeParse({ connectionMethod: 'per_user', admin: true }).success).toBe(
      false,
    );
    expect(connectorSettingsSchema.safeParse({ connectionMethod: 'telepathy' }).success).toBe(false);
  });
});

describe('toolsOfferedToModel', () => {
  it('offers the defaults without delete, with next_page', () => {
    expect(toolsOfferedToModel(defaultConnectorSettings())).toEqual([
      'search_records',
      'get_record',
      'query_records',
      'describe_object',
      'create_record',
      'update_record',
      'next_page',
    ]);
  });

  it('drops next_page when nothing that pages is enabled', () => {
    const settings = withPermissions({ search_records: 'disabled', query_records: 'disabled' });
    expect(toolsOfferedToModel(settings)).toEqual([
      'get_record',
      'describe_object',
      'create_record',
      'update_record',
    ]);
  });

  it('offers nothing when everything is disabled', () => {
    const settings = withPermissions(
      Object.fromEntries(
        CONFIGURABLE_TOOL_NAMES.map((name) => [name, 'disabled']),
      ) as ConnectorSettings['permissions'],
    );
    expect(toolsOfferedToModel(settings)).toEqual([]);
  });
});

describe('decideToolCall', () => {
  it.each(
    CONFIGURABLE_TOOL_NAMES.flatMap((tool) => PERMISSION_LEVELS.map((level) => [tool, level] as const)),
  )('%s at %s', (tool, level) => {
    const expected = { always_allow: 'execute', needs_approval: 'ask', disabled: 'refuse' }[level];
    expect(decideToolCall(withPermissions({ [tool]: level }), tool)).toBe(expected);
  });

  it('refuses a tool the model invented', () => {
    expect(decideToolCall(defaultConnectorSettings(), 'run_apex')).toBe('refuse');
    expect(decideToolCall(defaultConnectorSettings(), '__proto__')).toBe('refuse');
  });

  it('refuses a call to a disabled tool even though the model emitted it', () => {
    expect(decideToolCall(defaultConnectorSettings(), 'delete_record')).toBe('refuse');
  });

  it('gives next_page the level of the tool whose cursor it continues', () => {
    const settings = withPermissions({ query_records: 'needs_approval', search_records: 'disabled' });
    expect(decideToolCall(settings, 'next_page', { continuedTool: 'query_records' })).toBe('ask');
    expect(decideToolCall(settings, 'next_page', { continuedTool: 'search_records' })).toBe('refuse');
    expect(decideToolCall(defaultConnectorSettings(), 'next_page', { continuedTool: 'query_records' })).toBe(
      'execute',
    );
  });

  it('refuses next_page without a known origin, or continuing a tool that does not page', () => {
    expect(decideToolCall(defaultConnectorSettings(), 'next_page')).toBe('refuse');
    expect(decideToolCall(defaultConnectorSettings(), 'next_page', { continuedTool: 'get_record' })).toBe(
      'refuse',
    );
    expect(decideToolCall(defaultConnectorSettings(), 'next_page', { continuedTool: 'next_page' })).toBe(
      'refuse',
    );
  });
});
