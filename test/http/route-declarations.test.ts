import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '../../src/audit/audit-actions.ts';
import { apiRoutes, createServiceApp } from '../../src/http/app.ts';
import type { RouteDeclaration } from '../../src/http/declared-routes.ts';
import { createTestService, type TestService } from '../support/test-service.ts';

/** Actions recorded outside any HTTP endpoint, with where they come from. */
const ACTIONS_RECORDED_ELSEWHERE: Record<string, string> = {
  'connection.refreshed': 'the Salesforce adapter, on a token refresh',
  'connection.needs_reconnect': 'the Salesforce adapter, on invalid_grant',
  'vault.keys_rotated': 'the `forcefield keys rotate` command',
  'meeting.imported': 'the `forcefield meetings import` command',
  'agent.approval.expired': 'the agent runtime, when nobody decides in time',
  'mcp.client.registered':
    'the MCP authorization server (DCR, metadata documents) and `forcefield mcp register-client`',
  'mcp.consent.granted': 'the MCP authorization server, on the consent page',
  'mcp.consent.denied': 'the MCP authorization server, on the consent page',
  'mcp.token.issued': 'the MCP authorization server, at its token endpoint',
  'mcp.token.refreshed': 'the MCP authorization server, at its token endpoint',
  'mcp.token.revoked': 'the MCP authorization server, at its revocation endpoint',
  'mcp.token.refused': 'the MCP token endpoint and the MCP server, for a refused code or token',
  'salesforce.record.created': "the adapter, for writes declared { kind: 'audit' }",
  'salesforce.record.updated': "the adapter, for writes declared { kind: 'audit' }",
  'salesforce.record.deleted': "the adapter, for writes declared { kind: 'audit' }",
  'salesforce.composite': "the adapter, for writes declared { kind: 'audit' }",
};

/** The only endpoints that change something without an audit row, written out so a new one is a decision. */
const UNAUDITED_WRITES = [
  'POST /api/connections/oauth/start',
  'POST /api/conversations',
  'DELETE /api/conversations/:id',
  // Parses a transcript for the Import dialog's preview; stores nothing.
  'POST /api/meetings/transcripts/preview',
];

let test: TestService;
let declarations: RouteDeclaration[];

beforeAll(async () => {
  test = await createTestService();
  declarations = apiRoutes(test.services).declarations.map((declaration) => ({
    ...declaration,
    path: `/api${declaration.path === '/' ? '' : declaration.path}`,
  }));
});

afterAll(async () => {
  await test.stop();
});

describe('every endpoint declares its audit behaviour', () => {
  it('declares each /api endpoint the app serves exactly once', () => {
    const app = createServiceApp(test.services);
    const served = new Set(
      app.routes
        .filter((route) => route.method !== 'ALL' && route.path.startsWith('/api/'))
        .map((route) => `${route.method} ${route.path}`),
    );
    const declared = declarations.map((declaration) => `${declaration.method} ${declaration.path}`);
    expect(new Set(declared).size).toBe(declared.length);
    expect([...served].sort()).toEqual([...declared].sort());
    expect(served.size).toBeGreaterThan(40);
  });

  it('names only known actions, and gives a reason for every unaudited endpoint', () => {
    for (const declaration of declarations) {
      if (declaration.audit.kind === 'audited') {
        expect(declaration.audit.actions.length).toBeGreaterThan(0);
        for (const action of declaration.audit.actions) expect(AUDIT_ACTIONS).toContain(action);
      } else {
        expect(declaration.audit.reason.length).toBeGreaterThanOrEqual(8);
      }
    }
  });

  it('audits every write except the few listed here on purpose', () => {
    const unauditedWrites = declarations
      .filter((declaration) => declaration.method !== 'GET' && declaration.audit.kind === 'no-audit')
      .map((declaration) => `${declaration.method} ${declaration.path}`);
    expect(unauditedWrites.sort()).toEqual([...UNAUDITED_WRITES].sort());
  });

  it('gives every audit action a source: an endpoint that declares it, or a named non-HTTP path', () => {
    const declaredActions = new Set(
      declarations.flatMap((declaration) =>
        declaration.audit.kind === 'audited' ? declaration.audit.actions : [],
      ),
    );
    const orphans = AUDIT_ACTIONS.filter(
      (action) => !declaredActions.has(action) && !(action in ACTIONS_RECORDED_ELSEWHERE),
    );
    expect(orphans).toEqual([]);
  });
});
