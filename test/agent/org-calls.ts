import type { RunningEmulator } from '../../emulator/index.ts';

/** Salesforce as the emulator's admin sees it (to check what the agent really did). */
export async function orgQuery(emulator: RunningEmulator, soql: string) {
  const userId = emulator.org.userIdByUsername('alice@acme.demo')!;
  const token = emulator.org.tokens.issueAccessToken(userId, 'forcefield-demo', ['api']).token;
  const response = await fetch(`${emulator.url}/services/data/v66.0/query?q=${encodeURIComponent(soql)}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return (await response.json()) as { totalSize: number; records: Array<Record<string, unknown>> };
}

export async function orgCreate(
  emulator: RunningEmulator,
  objectType: string,
  fields: Record<string, unknown>,
  username = 'bob@acme.demo',
) {
  const userId = emulator.org.userIdByUsername(username)!;
  const token = emulator.org.tokens.issueAccessToken(userId, 'forcefield-demo', ['api']).token;
  const response = await fetch(`${emulator.url}/services/data/v66.0/sobjects/${objectType}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(fields),
  });
  return ((await response.json()) as { id: string }).id;
}

/** A REST call as the emulator's admin user. */
export async function orgCall(emulator: RunningEmulator, method: string, resource: string, body?: unknown) {
  const userId = emulator.org.userIdByUsername('alice@acme.demo')!;
  const token = emulator.org.tokens.issueAccessToken(userId, 'forcefield-demo', ['api']).token;
  const response = await fetch(`${emulator.url}/services/data/v66.0${resource}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: test helper over JSON answers
  return { status: response.status, body: (text ? JSON.parse(text) : null) as any };
}

export type EmulatorCounters = { routes: Record<string, number> };

export async function emulatorCounters(emulator: RunningEmulator): Promise<EmulatorCounters> {
  const response = await fetch(`${emulator.url}/__emulator/counters`, {
    headers: { Authorization: `Bearer ${emulator.adminSecret}` },
  });
  return (await response.json()) as EmulatorCounters;
}

export function routeDelta(before: EmulatorCounters, after: EmulatorCounters, route: string): number {
  return (after.routes[route] ?? 0) - (before.routes[route] ?? 0);
}
