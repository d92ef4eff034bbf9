import { describe, expect, it } from 'vitest';
import { useChatHarness } from '../agent/chat-harness.ts';
import { createAgent } from '../support/agents.ts';
import { serviceUser } from '../support/connections.ts';
import { STORE_DIALECTS } from '../support/store.ts';
import { consent, registerDynamicClient, signIn, tokenForm } from './oauth-flow.ts';

/**
 * The MCP authorization server's audit trail: registration, consent granted and denied, tokens
 * issued, refreshed, revoked and refused — with the person where known, the client's name,
 * surface mcp, and never a code or token value.
 */

describe.each(STORE_DIALECTS)('MCP OAuth audit (%s)', (dialect) => {
  const chat = useChatHarness(dialect);

  async function eventsOf(clientId: string) {
    const { events } = await chat.test.service.context.audit.query({ surface: 'mcp', limit: 500 });
    return events.filter((event) => event.detail.clientId === clientId).reverse();
  }

  it('records each step of a client’s life, in order, without any secret', async () => {
    const base = chat.test.service.url;
    const bobId = (await serviceUser(chat.test.service, 'bob@forcefield.demo')).id;
    const agentId = await createAgent(chat.alice, {});
    const resource = `${base}/mcp/agents/${agentId}`;

    const deniedClient = await registerDynamicClient(base, 'Audit Denied');
    await consent(chat.bob, { clientId: deniedClient, resource, decision: 'deny' });
    expect(
      (await eventsOf(deniedClient)).map((event) => [event.action, event.actorUserId, event.outcome]),
    ).toEqual([
      ['mcp.client.registered', null, 'success'],
      ['mcp.consent.denied', bobId, 'denied'],
    ]);

    const signedIn = await signIn(base, chat.bob, { clientName: 'Audit Desktop', resource });
    const refreshed = await fetch(
      `${base}/oauth/token`,
      tokenForm({
        grant_type: 'refresh_token',
        refresh_token: signedIn.refresh_token,
        client_id: signedIn.clientId,
      }),
    );
    expect(refreshed.status).toBe(200);
    const renewed = (await refreshed.json()) as { access_token: string; refresh_token: string };
    const replayed = await fetch(
      `${base}/oauth/token`,
      tokenForm({
        grant_type: 'refresh_token',
        refresh_token: signedIn.refresh_token,
        client_id: signedIn.clientId,
      }),
    );
    expect(replayed.status).toBe(400);
    await fetch(`${base}/oauth/revoke`, tokenForm({ token: renewed.access_token }));
    const afterRevoke = await fetch(resource, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${renewed.access_token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });
    expect(afterRevoke.status).toBe(401);

    const events = await eventsOf(signedIn.clientId);
    expect(events.map((event) => [event.action, event.actorUserId, event.outcome, event.errorCode])).toEqual([
      ['mcp.client.registered', null, 'success', null],
      ['mcp.consent.granted', bobId, 'success', null],
      ['mcp.token.issued', bobId, 'success', null],
      ['mcp.token.refreshed', bobId, 'success', null],
      ['mcp.token.refused', bobId, 'denied', 'invalid_grant'],
      ['mcp.token.revoked', bobId, 'success', null],
      ['mcp.token.refused', bobId, 'denied', 'revoked'],
    ]);
    for (const event of events) {
      expect(event.surface).toBe('mcp');
      expect(event.detail.client).toBe('Audit Desktop');
    }
    expect(events[0].detail.registration).toBe('dynamic');
    expect(events[1].detail.agentId).toBe(agentId);
    expect(events[6].detail.where).toBe('mcp_endpoint');
    const stored = JSON.stringify(
      await chat.test.service.store.db.selectFrom('audit_events').selectAll().execute(),
    );
    for (const secret of [
      signedIn.access_token,
      signedIn.refresh_token,
      renewed.access_token,
      renewed.refresh_token,
    ]) {
      expect(stored).not.toContain(secret);
    }
  });

  it('a code or token nobody issued is refused and audited without a person', async () => {
    const base = chat.test.service.url;
    const clientId = await registerDynamicClient(base, 'Audit Stranger');
    const refused = await fetch(
      `${base}/oauth/token`,
      tokenForm({
        grant_type: 'authorization_code',
        code: 'made-up-code',
        client_id: clientId,
        redirect_uri: 'http://127.0.0.1:33418/callback',
        code_verifier: 'v'.repeat(43),
      }),
    );
    expect(refused.status).toBe(400);
    const events = await eventsOf(clientId);
    expect(events.at(-1)).toMatchObject({
      action: 'mcp.token.refused',
      actorUserId: null,
      errorCode: 'invalid_grant',
      detail: { client: 'Audit Stranger', where: 'token_endpoint' },
    });
    expect(JSON.stringify(events)).not.toContain('made-up-code');
  });
});
