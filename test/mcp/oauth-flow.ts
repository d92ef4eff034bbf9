import { createHash, randomBytes } from 'node:crypto';
import type { ServiceSession } from '../support/connections.ts';

/**
 * The OAuth steps of an MCP client, by plain HTTP as the spec describes them: dynamic
 * registration, the person's consent (through their signed-in session), and the token endpoint.
 */

export const REDIRECT_URI = 'http://127.0.0.1:33418/callback';

export function tokenForm(fields: Record<string, string>): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  };
}

export async function registerDynamicClient(base: string, name: string): Promise<string> {
  const registered = await fetch(`${base}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: name, redirect_uris: [REDIRECT_URI] }),
  });
  if (registered.status !== 201) throw new Error(`register: ${registered.status}`);
  return ((await registered.json()) as { client_id: string }).client_id;
}

/** The person's decision on the consent page: the callback URL the client is sent to. */
export async function consent(
  person: ServiceSession,
  input: { clientId: string; resource: string; decision: 'approve' | 'deny' },
): Promise<{ callback: URL; verifier: string }> {
  const verifier = randomBytes(32).toString('base64url');
  const decided = await person.call('POST', '/oauth/authorize/decision', {
    response_type: 'code',
    client_id: input.clientId,
    redirect_uri: REDIRECT_URI,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    resource: input.resource,
    decision: input.decision,
  });
  if (decided.status !== 200) throw new Error(`decision: ${decided.status} ${JSON.stringify(decided.body)}`);
  return { callback: new URL(decided.body.redirectTo), verifier };
}

export async function exchangeCode(
  base: string,
  input: { clientId: string; code: string; verifier: string; resource: string },
): Promise<Response> {
  return fetch(
    `${base}/oauth/token`,
    tokenForm({
      grant_type: 'authorization_code',
      code: input.code,
      client_id: input.clientId,
      redirect_uri: REDIRECT_URI,
      code_verifier: input.verifier,
      resource: input.resource,
    }),
  );
}

/** Registration, consent and code exchange in one: the token pair for `person` at `resource`. */
export async function signIn(
  base: string,
  person: ServiceSession,
  input: { clientName: string; resource: string },
): Promise<{ clientId: string; access_token: string; refresh_token: string }> {
  const clientId = await registerDynamicClient(base, input.clientName);
  const { callback, verifier } = await consent(person, {
    clientId,
    resource: input.resource,
    decision: 'approve',
  });
  const exchanged = await exchangeCode(base, {
    clientId,
    code: callback.searchParams.get('code') as string,
    verifier,
    resource: input.resource,
  });
  if (exchanged.status !== 200) throw new Error(`token: ${exchanged.status}`);
  return { clientId, ...((await exchanged.json()) as { access_token: string; refresh_token: string }) };
}
