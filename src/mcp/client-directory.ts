import { readFileSync } from 'node:fs';
import { findClient, registerClient, upsertMetadataDocumentClient } from '../accounts/mcp-oauth.ts';
import { type OAuthAuditEvent, recordOAuthEvent } from '../accounts/mcp-oauth-audit.ts';
import type { Services } from '../services.ts';
import type { McpOAuthClientsTable } from '../store/mcp-oauth-tables.ts';
import { ClientMetadataDocuments, isMetadataDocumentClientId } from './client-metadata-documents.ts';
import { createGuardedFetch } from './guarded-fetch.ts';

/** The clients this server knows, however they came, and the audit of the flow's steps. */
export interface ClientDirectory {
  /** The client by its id: a stored one, or the metadata document at an https client_id. */
  find(clientId: string, userId: string | null): Promise<McpOAuthClientsTable | undefined>;
  register(input: { name: string; redirectUris: string[] }): Promise<McpOAuthClientsTable>;
  audit(event: OAuthAuditEvent): Promise<void>;
}

export function clientDirectory(services: Services): ClientDirectory {
  const service = services.context;
  const config = service.config;
  const documents = new ClientMetadataDocuments({
    fetch: createGuardedFetch({
      allowPrivateHosts: config.MCP_CLIENT_METADATA_ALLOW_PRIVATE_HOSTS,
      ...(config.MCP_CLIENT_METADATA_CA_FILE
        ? { extraCa: readFileSync(config.MCP_CLIENT_METADATA_CA_FILE, 'utf8') }
        : {}),
      timeoutMs: 5_000,
    }),
    now: service.now,
  });
  const audit = (event: OAuthAuditEvent) => recordOAuthEvent(service, event);
  return {
    audit,
    async find(clientId, userId) {
      if (!isMetadataDocumentClientId(clientId)) return findClient(service.store, clientId);
      const metadata = await documents.resolve(clientId);
      const { client, created } = await upsertMetadataDocumentClient(service.store, {
        ...metadata,
        now: service.now(),
      });
      if (created) {
        await audit({
          action: 'mcp.client.registered',
          userId,
          clientId,
          clientName: client.name,
          detail: { registration: 'metadata_document' },
        });
      }
      return client;
    },
    async register(input) {
      const client = await registerClient(service.store, {
        ...input,
        registration: 'dynamic',
        now: service.now(),
      });
      await audit({
        action: 'mcp.client.registered',
        userId: null,
        clientId: client.id,
        clientName: client.name,
        detail: { registration: 'dynamic' },
      });
      return client;
    },
  };
}
