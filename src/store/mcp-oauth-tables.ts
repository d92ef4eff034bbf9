/** The MCP authorization server's tables (migration 0007-mcp-oauth). Secrets are stored as SHA-256 only. */

export interface McpOAuthClientsTable {
  /** The client_id given to the client (a random id for registered clients). */
  id: string;
  name: string;
  /** JSON array of the exact redirect URIs allowed. */
  redirect_uris: string;
  /**
   * How it came: dynamic registration, an operator's pre-registration, or a Client ID Metadata
   * Document (then the id is the document's https URL, and name and redirect URIs follow it).
   */
  registration: 'dynamic' | 'preregistered' | 'metadata_document';
  created_at: string;
}

export interface McpOAuthGrantsTable {
  id: string;
  kind: 'code' | 'access' | 'refresh';
  /** SHA-256 of the code or token; the value itself is only ever in the client's hands. */
  token_hash: string;
  client_id: string;
  user_id: string;
  /** The MCP server URL the grant is for (RFC 8707 resource). */
  resource: string;
  /** For a code: the redirect URI and the PKCE S256 challenge it was issued with. */
  redirect_uri: string | null;
  code_challenge: string | null;
  expires_at: string;
  /** A code exchanged, a refresh token rotated, or anything revoked. */
  consumed_at: string | null;
  created_at: string;
}

export interface McpOAuthTables {
  mcp_oauth_clients: McpOAuthClientsTable;
  mcp_oauth_grants: McpOAuthGrantsTable;
}
