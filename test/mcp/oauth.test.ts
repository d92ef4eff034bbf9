import { createHash, randomBytes } from 'node:crypto';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, describe, expect, it } from 'vitest';
import { useChatHarness } from '../agent/chat-harness.ts';
import { createAgent } from '../support/agents.ts';
import { STORE_DIALECTS } from '../support/store.ts';
import { connectMcpClient, PROTOCOL_GENERATIONS } from './mcp-harness.ts';

/**
 * Forcefield as the OAuth 2.1 authorization server of its MCP endpoints: 401 → resource metadata →
 * server metadata → dynamic registration → consent on the existing login → code + PKCE S256 →
 * tokens bound to the person and the resource → refresh (rotating) → revocation.
 */

/** A JSON body, untyped: the test asserts on its shape. */
// biome-ignore lint/suspicious/noExplicitAny: test helper over JSON answers
async function json(response: Response | Promise<Response>): Promise<any> {
  return (await response).json();
}

describe.each(STORE_DIALECTS)('MCP OAuth (%s)', (dialect) => {
  const chat = useChatHarness(dialect);
  const clients: Client[] = [];
  afterAll(async () => {
    for (const client of clients) await client.close();
  });

  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  const initialize = {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    }),
  };
  const bearer = (token: string) => ({
    ...initialize,
    headers: { ...initialize.headers, authorization: `Bearer ${token}` },
  });

  it('discovery, registration, consent, code + PKCE, resource-bound tokens, refresh and revocation', async () => {
    const base = chat.test.service.url;
    const agentId = await createAgent(chat.alice, { name: 'Pipeline helper' });
    const otherAgentId = await createAgent(chat.alice, { name: 'Other helper' });
    const resource = `${base}/mcp/agents/${agentId}`;

    const challenge = await fetch(resource, initialize);
    expect(challenge.status).toBe(401);
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(
      challenge.headers.get('www-authenticate') ?? '',
    )?.[1];
    expect(metadataUrl).toBe(`${base}/.well-known/oauth-protected-resource/mcp/agents/${agentId}`);
    const protectedResource = await json(fetch(metadataUrl as string));
    expect(protectedResource.resource).toBe(resource);
    const server = await json(
      fetch(`${protectedResource.authorization_servers[0]}/.well-known/oauth-authorization-server`),
    );
    expect(server.code_challenge_methods_supported).toEqual(['S256']);

    const redirectUri = 'http://127.0.0.1:33418/callback';
    const registered = await fetch(server.registration_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'Test Desktop', redirect_uris: [redirectUri] }),
    });
    expect(registered.status).toBe(201);
    const { client_id: clientId } = await json(registered);
    const refusedRegistration = await fetch(server.registration_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'Evil', redirect_uris: ['http://evil.example/cb'] }),
    });
    expect(refusedRegistration.status).toBe(400);

    const verifier = randomBytes(32).toString('base64url');
    const request = {
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirectUri,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      resource,
      state: 'state-123',
    };
    const consent = await chat.bob.call('GET', `/oauth/authorize?${new URLSearchParams(request)}`);
    expect(consent.status).toBe(200);
    expect(consent.body).toContain('Test Desktop');
    expect(consent.body).toContain('Pipeline helper');
    const wrongRedirect = await chat.bob.call(
      'GET',
      `/oauth/authorize?${new URLSearchParams({ ...request, redirect_uri: 'http://127.0.0.1:1/other' })}`,
    );
    expect(wrongRedirect.status).toBe(400);

    const decided = await chat.bob.call('POST', '/oauth/authorize/decision', {
      ...request,
      decision: 'approve',
    });
    const callback = new URL(decided.body.redirectTo);
    expect(callback.searchParams.get('state')).toBe('state-123');
    const code = callback.searchParams.get('code') as string;

    const wrongVerifier = await fetch(
      server.token_endpoint,
      form({
        grant_type: 'authorization_code',
        code,
        client_id: clientId,
        redirect_uri: redirectUri,
        code_verifier: 'x'.repeat(43),
        resource,
      }),
    );
    expect(wrongVerifier.status).toBe(400);
    // The failed attempt used the code up: a code is good for one exchange only.
    const decidedAgain = await chat.bob.call('POST', '/oauth/authorize/decision', {
      ...request,
      decision: 'approve',
    });
    const secondCode = new URL(decidedAgain.body.redirectTo).searchParams.get('code') as string;
    const exchanged = await fetch(
      server.token_endpoint,
      form({
        grant_type: 'authorization_code',
        code: secondCode,
        client_id: clientId,
        redirect_uri: redirectUri,
        code_verifier: verifier,
        resource,
      }),
    );
    expect(exchanged.status).toBe(200);
    const tokens = await json(exchanged);
    expect(tokens.token_type).toBe('Bearer');
    const replay = await fetch(
      server.token_endpoint,
      form({
        grant_type: 'authorization_code',
        code: secondCode,
        client_id: clientId,
        redirect_uri: redirectUri,
        code_verifier: verifier,
      }),
    );
    expect(replay.status).toBe(400);

    // The token works at its resource, for Bob, through the SDK's client; not at another agent's URL.
    const { client } = await connectMcpClient({
      url: base,
      agentId,
      apiKey: tokens.access_token,
      generation: PROTOCOL_GENERATIONS[0],
      name: 'oauth-client',
    });
    clients.push(client);
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    expect((await fetch(`${base}/mcp/agents/${otherAgentId}`, bearer(tokens.access_token))).status).toBe(401);

    const refreshed = await fetch(
      server.token_endpoint,
      form({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: clientId }),
    );
    expect(refreshed.status).toBe(200);
    const renewed = await json(refreshed);
    const reused = await fetch(
      server.token_endpoint,
      form({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: clientId }),
    );
    expect(reused.status).toBe(400);
    expect((await fetch(resource, bearer(renewed.access_token))).status).toBe(200);

    await fetch(server.revocation_endpoint, form({ token: renewed.access_token }));
    expect((await fetch(resource, bearer(renewed.access_token))).status).toBe(401);

    const rows = await chat.test.service.store.db
      .selectFrom('mcp_oauth_grants')
      .select('token_hash')
      .execute();
    const stored = JSON.stringify(rows);
    for (const secret of [
      code,
      secondCode,
      tokens.access_token,
      tokens.refresh_token,
      renewed.access_token,
    ]) {
      expect(stored).not.toContain(secret);
    }
  });

  it('a denied consent sends the client access_denied and no code', async () => {
    const agentId = await createAgent(chat.alice, {});
    const registered = await json(
      fetch(`${chat.test.service.url}/oauth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_name: 'Denied', redirect_uris: ['https://client.example/cb'] }),
      }),
    );
    const decided = await chat.bob.call('POST', '/oauth/authorize/decision', {
      response_type: 'code',
      client_id: registered.client_id,
      redirect_uri: 'https://client.example/cb',
      code_challenge: createHash('sha256').update('v'.repeat(43)).digest('base64url'),
      code_challenge_method: 'S256',
      resource: `${chat.test.service.url}/mcp/agents/${agentId}`,
      decision: 'deny',
    });
    const callback = new URL(decided.body.redirectTo);
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('code')).toBeNull();
  });
});
