import { rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  auth,
  type Client,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
  type StoredOAuthClientInformation,
  type StoredOAuthTokens,
} from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/index.ts';
import { generateSelfSignedCertificate } from '../../emulator/tls/tls-certificate.ts';
import { BlockedAddressError, createGuardedFetch } from '../../src/mcp/guarded-fetch.ts';
import {
  type AgentTestService,
  createAgent,
  logInAliceAndBob,
  startAgentService,
} from '../support/agents.ts';
import { type ServiceSession, serviceUser } from '../support/connections.ts';
import { openTestStore, STORE_DIALECTS, type TestStore } from '../support/store.ts';
import { connectMcpClient, PROTOCOL_GENERATIONS } from './mcp-harness.ts';

/**
 * Client ID Metadata Documents: an OAuth client whose client_id is an https URL, resolved by
 * fetching that document. The documents are served by a local https server (a self-signed
 * certificate the service trusts through MCP_CLIENT_METADATA_CA_FILE), which the service may reach
 * only because the test sets MCP_CLIENT_METADATA_ALLOW_PRIVATE_HOSTS.
 */

const REDIRECT_URI = 'http://127.0.0.1:33418/callback';

interface Served {
  body: string;
  headers?: Record<string, string>;
  status?: number;
}

describe.each(STORE_DIALECTS)('MCP OAuth with Client ID Metadata Documents (%s)', (dialect) => {
  let emulator: RunningEmulator;
  let test: AgentTestService;
  let testStore: TestStore | undefined;
  let bob: ServiceSession;
  let alice: ServiceSession;
  let documents: Server;
  let documentsUrl: string;
  let ca: string;
  let caFile: string;
  const served = new Map<string, Served>();
  const hits = new Map<string, number>();
  const clients: Client[] = [];

  beforeAll(async () => {
    const certificate = await generateSelfSignedCertificate('127.0.0.1');
    ca = certificate.cert;
    documents = createServer(certificate, (request, response) => {
      const found = served.get(request.url ?? '');
      hits.set(request.url ?? '', (hits.get(request.url ?? '') ?? 0) + 1);
      if (!found) {
        response.writeHead(404).end();
        return;
      }
      response
        .writeHead(found.status ?? 200, { 'content-type': 'application/json', ...found.headers })
        .end(found.body);
    });
    await new Promise<void>((resolve) => documents.listen(0, '127.0.0.1', resolve));
    documentsUrl = `https://127.0.0.1:${(documents.address() as AddressInfo).port}`;
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    caFile = path.join(tmpdir(), `ff-cimd-ca-${process.pid}-${dialect}.pem`);
    writeFileSync(caFile, ca);
    testStore = await openTestStore(dialect);
    test = await startAgentService(emulator, {
      store: testStore.store,
      environment: {
        MCP_CLIENT_METADATA_ALLOW_PRIVATE_HOSTS: 'true',
        MCP_CLIENT_METADATA_CA_FILE: caFile,
      },
    });
    ({ alice, bob } = await logInAliceAndBob(test.service.url, emulator));
  });

  afterAll(async () => {
    for (const client of clients) await client.close();
    await test?.stop();
    await testStore?.dispose();
    if (caFile) rmSync(caFile, { force: true });
    await emulator?.stop();
    await new Promise((resolve) => documents?.close(resolve));
  });

  function serve(name: string, document: Record<string, unknown> | string, headers?: Record<string, string>) {
    const pathname = `/clients/${name}.json`;
    served.set(pathname, {
      body: typeof document === 'string' ? document : JSON.stringify(document),
      ...(headers ? { headers } : {}),
    });
    return { clientId: `${documentsUrl}${pathname}`, pathname };
  }

  function metadataOf(clientId: string, extra: Record<string, unknown> = {}) {
    return {
      client_id: clientId,
      client_name: 'Metadata Desktop',
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      ...extra,
    };
  }

  /** The SDK's own OAuth client, with a metadata document URL as its client id. */
  function sdkProvider(clientMetadataUrl: string) {
    const state: {
      client?: StoredOAuthClientInformation;
      tokens?: StoredOAuthTokens;
      verifier?: string;
      authorizationUrl?: URL;
      discovery?: OAuthDiscoveryState;
    } = {};
    const provider: OAuthClientProvider = {
      redirectUrl: REDIRECT_URI,
      clientMetadataUrl,
      get clientMetadata(): OAuthClientMetadata {
        return {
          client_name: 'Metadata Desktop',
          redirect_uris: [REDIRECT_URI],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          token_endpoint_auth_method: 'none',
        };
      },
      clientInformation: () => state.client,
      saveClientInformation: (information) => {
        state.client = information;
      },
      tokens: () => state.tokens,
      saveTokens: (tokens) => {
        state.tokens = tokens;
      },
      redirectToAuthorization: (url) => {
        state.authorizationUrl = url;
      },
      saveCodeVerifier: (verifier) => {
        state.verifier = verifier;
      },
      codeVerifier: () => state.verifier ?? '',
      saveDiscoveryState: (discovery) => {
        state.discovery = discovery;
      },
      discoveryState: () => state.discovery,
    };
    return { provider, state };
  }

  async function authorizeQuery(clientId: string, agentId: string) {
    return new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT_URI,
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
      resource: `${test.service.url}/mcp/agents/${agentId}`,
    });
  }

  it('the SDK client signs in with its metadata document URL as client_id; tokens work; every step is audited', async () => {
    const agentId = await createAgent(alice, { name: 'Metadata helper' });
    const { clientId } = serve('desktop', {}, { 'cache-control': 'max-age=300' });
    served.set(new URL(clientId).pathname, { body: JSON.stringify(metadataOf(clientId)) });
    const metadata = (await (
      await fetch(`${test.service.url}/.well-known/oauth-authorization-server`)
    ).json()) as Record<string, unknown>;
    expect(metadata.client_id_metadata_document_supported).toBe(true);

    const serverUrl = `${test.service.url}/mcp/agents/${agentId}`;
    const { provider, state } = sdkProvider(clientId);
    expect(await auth(provider, { serverUrl })).toBe('REDIRECT');
    const authorizationUrl = state.authorizationUrl as URL;
    expect(authorizationUrl.searchParams.get('client_id')).toBe(clientId);

    // Bob signs in and allows it on the consent page, which names the client from its document.
    const query = Object.fromEntries(authorizationUrl.searchParams);
    const consent = await bob.call('GET', `/oauth/authorize?${authorizationUrl.searchParams}`);
    expect(consent.status).toBe(200);
    expect(consent.body).toContain('Metadata Desktop');
    const decided = await bob.call('POST', '/oauth/authorize/decision', { ...query, decision: 'approve' });
    const callback = new URL(decided.body.redirectTo);
    const code = callback.searchParams.get('code') as string;
    expect(
      await auth(provider, {
        serverUrl,
        authorizationCode: code,
        iss: callback.searchParams.get('iss') ?? undefined,
      }),
    ).toBe('AUTHORIZED');
    const tokens = state.tokens as StoredOAuthTokens;

    const { client } = await connectMcpClient({
      url: test.service.url,
      agentId,
      apiKey: tokens.access_token,
      generation: PROTOCOL_GENERATIONS[0],
    });
    clients.push(client);
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('search_records');

    const bobId = (await serviceUser(test.service, 'bob@forcefield.demo')).id;
    const events = (await test.service.context.audit.query({ surface: 'mcp', limit: 200 })).events.filter(
      (event) => event.detail.clientId === clientId,
    );
    const byAction = (action: string) => events.filter((event) => event.action === action);
    expect(byAction('mcp.client.registered')).toEqual([
      expect.objectContaining({
        actorUserId: bobId,
        detail: expect.objectContaining({ registration: 'metadata_document', client: 'Metadata Desktop' }),
      }),
    ]);
    expect(byAction('mcp.consent.granted')).toEqual([
      expect.objectContaining({ actorUserId: bobId, detail: expect.objectContaining({ agentId }) }),
    ]);
    expect(byAction('mcp.token.issued')).toEqual([
      expect.objectContaining({
        actorUserId: bobId,
        detail: expect.objectContaining({ client: 'Metadata Desktop' }),
      }),
    ]);
    const rows = JSON.stringify(events);
    expect(rows).not.toContain(tokens.access_token);
    expect(rows).not.toContain(code);
  });

  it('refuses a document that names another client_id, omits the redirect URI, carries a secret, or is too large', async () => {
    const agentId = await createAgent(alice, {});
    const cases: Array<[string, (clientId: string) => Record<string, unknown> | string, RegExp]> = [
      ['other-id', () => metadataOf('https://elsewhere.example/client.json'), /different client_id/],
      [
        'other-redirect',
        (id) => metadataOf(id, { redirect_uris: ['https://client.example/cb'] }),
        /redirect URI/,
      ],
      ['secret', (id) => metadataOf(id, { client_secret: 'shh' }), /secret/],
      [
        'private-auth',
        (id) => metadataOf(id, { token_endpoint_auth_method: 'client_secret_basic' }),
        /not valid/,
      ],
      ['huge', (id) => metadataOf(id, { client_name: 'x', padding: 'y'.repeat(6000) }), /too large/],
      ['not-json', () => 'not json', /not JSON/],
    ];
    for (const [name, document, message] of cases) {
      const { clientId } = serve(name, {});
      served.set(new URL(clientId).pathname, {
        body:
          typeof document(clientId) === 'string'
            ? (document(clientId) as string)
            : JSON.stringify(document(clientId)),
      });
      const page = await bob.call('GET', `/oauth/authorize?${await authorizeQuery(clientId, agentId)}`);
      expect(page.status, name).toBe(400);
      expect(page.body, name).toMatch(message);
    }
    const missing = `${documentsUrl}/clients/absent.json`;
    const absent = await bob.call('GET', `/oauth/authorize?${await authorizeQuery(missing, agentId)}`);
    expect(absent.status).toBe(400);
    expect(absent.body).toContain('HTTP 404');
    const noPath = await bob.call(
      'GET',
      `/oauth/authorize?${await authorizeQuery(`${documentsUrl}/`, agentId)}`,
    );
    expect(noPath.status).toBe(400);
    expect(noPath.body).toContain('https URL with a path');
  });

  it('caches a document as its Cache-Control says, on the service clock, and fetches it again once stale', async () => {
    const agentId = await createAgent(alice, {});
    const { clientId, pathname } = serve('cached', {});
    served.set(pathname, {
      body: JSON.stringify(metadataOf(clientId, { client_name: 'Cached v1' })),
      headers: { 'cache-control': 'public, max-age=60' },
    });
    const query = await authorizeQuery(clientId, agentId);
    expect((await bob.call('GET', `/oauth/authorize?${query}`)).body).toContain('Cached v1');
    served.set(pathname, {
      body: JSON.stringify(metadataOf(clientId, { client_name: 'Cached v2' })),
      headers: { 'cache-control': 'no-store' },
    });
    expect((await bob.call('GET', `/oauth/authorize?${query}`)).body).toContain('Cached v1');
    expect(hits.get(pathname)).toBe(1);
    test.clock.advance(61_000);
    expect((await bob.call('GET', `/oauth/authorize?${query}`)).body).toContain('Cached v2');
    // no-store: every use fetches it again.
    await bob.call('GET', `/oauth/authorize?${query}`);
    expect(hits.get(pathname)).toBe(3);
  });

  it('by default never fetches loopback or private addresses, by IP or by a name that resolves to one', async () => {
    const guarded = createGuardedFetch({ allowPrivateHosts: false, extraCa: ca, timeoutMs: 5_000 });
    const { clientId } = serve('guarded', metadataOf('x'));
    const before = hits.get('/clients/guarded.json') ?? 0;
    await expect(guarded(clientId, { signal: AbortSignal.timeout(5_000) })).rejects.toBeInstanceOf(
      BlockedAddressError,
    );
    const byName = clientId.replace('127.0.0.1', 'localhost');
    const refused = await guarded(byName, { signal: AbortSignal.timeout(5_000) }).then(
      () => 'fetched',
      (error: Error) => String((error.cause as Error | undefined)?.message ?? error.message),
    );
    expect(refused).toMatch(/private, loopback or reserved/);
    for (const address of [
      'http://10.1.2.3/c.json',
      'http://169.254.169.254/latest',
      'http://[::1]/c.json',
    ]) {
      await expect(guarded(address, { signal: AbortSignal.timeout(5_000) })).rejects.toBeInstanceOf(
        BlockedAddressError,
      );
    }
    expect(hits.get('/clients/guarded.json') ?? 0).toBe(before);
    // Allowed explicitly (the test/dev setting), the same fetch reaches it.
    const allowed = createGuardedFetch({ allowPrivateHosts: true, extraCa: ca, timeoutMs: 5_000 });
    expect((await allowed(clientId, { signal: AbortSignal.timeout(5_000) })).status).toBe(200);
  });
});
