import type { Client } from '@modelcontextprotocol/client';
import { afterAll, describe, expect, it } from 'vitest';
import { ACCESS_TTL_MS, CODE_TTL_MS } from '../../src/accounts/mcp-oauth.ts';
import { useChatHarness } from '../agent/chat-harness.ts';
import { orgQuery } from '../agent/org-calls.ts';
import { createAgent } from '../support/agents.ts';
import { STORE_DIALECTS } from '../support/store.ts';
import { apiKeyOf, connectMcpClient, PROTOCOL_GENERATIONS } from './mcp-harness.ts';
import { consent, exchangeCode, registerDynamicClient, signIn } from './oauth-flow.ts';

/**
 * Expiry on the service's own clock (the test moves it; nothing sleeps): an access token past its
 * lifetime, an authorization code past its lifetime, an approval nobody decided in time.
 */

describe.each(STORE_DIALECTS)('MCP expiry on the service clock (%s)', (dialect) => {
  const chat = useChatHarness(dialect);
  const clients: Client[] = [];
  afterAll(async () => {
    for (const client of clients) await client.close();
  });

  const listTools = (resource: string, token: string) =>
    fetch(resource, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2026-07-28',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });

  it('an access token works until its lifetime ends, then gets 401 (audited as expired); its refresh token still renews', async () => {
    const base = chat.test.service.url;
    const agentId = await createAgent(chat.alice, {});
    const resource = `${base}/mcp/agents/${agentId}`;
    const tokens = await signIn(base, chat.bob, { clientName: 'Expiry Desktop', resource });
    const { client } = await connectMcpClient({
      url: base,
      agentId,
      apiKey: tokens.access_token,
      generation: PROTOCOL_GENERATIONS[0],
    });
    clients.push(client);
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);

    chat.test.clock.advance(ACCESS_TTL_MS - 1000);
    // Still authenticated a second before the end (anything but the 401 challenge).
    expect((await listTools(resource, tokens.access_token)).status).not.toBe(401);
    chat.test.clock.advance(1000);
    const expired = await listTools(resource, tokens.access_token);
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('resource_metadata=');
    const refused = (await chat.auditEvents('mcp.token.refused')).filter(
      (event) => event.detail.clientId === tokens.clientId,
    );
    expect(refused).toEqual([expect.objectContaining({ errorCode: 'expired', surface: 'mcp' })]);

    const renewed = await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
        client_id: tokens.clientId,
      }).toString(),
    });
    expect(renewed.status).toBe(200);
    const { access_token } = (await renewed.json()) as { access_token: string };
    const renewedClient = await connectMcpClient({
      url: base,
      agentId,
      apiKey: access_token,
      generation: PROTOCOL_GENERATIONS[1],
    });
    clients.push(renewedClient.client);
    expect((await renewedClient.client.listTools()).tools.length).toBeGreaterThan(0);
  });

  it('an authorization code is refused once its lifetime ended, and works just before', async () => {
    const base = chat.test.service.url;
    const agentId = await createAgent(chat.alice, {});
    const resource = `${base}/mcp/agents/${agentId}`;
    const clientId = await registerDynamicClient(base, 'Slow Desktop');

    const late = await consent(chat.bob, { clientId, resource, decision: 'approve' });
    chat.test.clock.advance(CODE_TTL_MS);
    const refused = await exchangeCode(base, {
      clientId,
      code: late.callback.searchParams.get('code') as string,
      verifier: late.verifier,
      resource,
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: 'invalid_grant' });

    const timely = await consent(chat.bob, { clientId, resource, decision: 'approve' });
    chat.test.clock.advance(CODE_TTL_MS - 1000);
    const exchanged = await exchangeCode(base, {
      clientId,
      code: timely.callback.searchParams.get('code') as string,
      verifier: timely.verifier,
      resource,
    });
    expect(exchanged.status).toBe(200);
  });

  it('an approval nobody decided in time reads as expired through MCP, and can no longer be approved', async () => {
    const agentId = await createAgent(chat.alice, {});
    const subject = `MCP expired approval ${dialect}`;
    const { client } = await connectMcpClient({
      url: chat.test.service.url,
      agentId,
      apiKey: await apiKeyOf(chat.bob),
      generation: PROTOCOL_GENERATIONS[1],
    });
    clients.push(client);
    const pending = await client.callTool({
      name: 'create_record',
      arguments: { objectType: 'Task', fields: { Subject: subject } },
    });
    const { approvalId, expiresAt } = pending.structuredContent as { approvalId: string; expiresAt: string };
    chat.test.clock.advance(Date.parse(expiresAt) - chat.test.clock.now);

    const status = await client.callTool({ name: 'approval_status', arguments: { approvalId } });
    expect(status.isError).toBe(true);
    expect(status.structuredContent).toMatchObject({ ok: false, status: 'expired' });
    const decided = await chat.bob.call('POST', `/mcp/approvals/${approvalId}/decision`, {
      decision: 'approve',
    });
    expect(decided.status).toBeGreaterThanOrEqual(400);
    expect(
      (await orgQuery(chat.emulator, `SELECT Id FROM Task WHERE Subject = '${subject}'`)).records,
    ).toHaveLength(0);
  });
});
