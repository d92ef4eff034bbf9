/** Shared by the meeting service suites: direct reads of the emulator org, counters, faults. */
import { randomUUID } from 'node:crypto';
import type { RunningEmulator } from '../../emulator/index.ts';
import type { ServiceSession } from '../support/connections.ts';

export const DATA = '/services/data/v66.0';

/** Reads the org as its admin (alice), straight from the emulator: what Salesforce really holds. */
export function orgReader(emulator: RunningEmulator) {
  const userId = emulator.org.userIdByUsername('alice@acme.demo')!;
  const token = emulator.org.tokens.issueAccessToken(userId, 'forcefield-demo', ['api']).token;
  return {
    // biome-ignore lint/suspicious/noExplicitAny: test helper: callers assert on the shape
    async query(soql: string): Promise<any[]> {
      const response = await fetch(`${emulator.url}${DATA}/queryAll?q=${encodeURIComponent(soql)}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      const body = (await response.json()) as { records?: unknown[] };
      if (response.status !== 200) throw new Error(`query failed: ${JSON.stringify(body)}`);
      // biome-ignore lint/suspicious/noExplicitAny: see above
      return body.records as any[];
    },
    // biome-ignore lint/suspicious/noExplicitAny: see above
    async retrieve(type: string, id: string): Promise<any> {
      const response = await fetch(`${emulator.url}${DATA}/sobjects/${type}/${id}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      return response.json();
    },
  };
}

export async function emulatorAdminCall(
  emulator: RunningEmulator,
  method: string,
  path: string,
  body?: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: test helper
): Promise<any> {
  const response = await fetch(`${emulator.url}/__emulator${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${emulator.adminSecret}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
}

/** Salesforce API calls the service made while `action` ran (OAuth and admin paths excluded). */
export async function countCalls(emulator: RunningEmulator, action: () => Promise<unknown>): Promise<number> {
  await emulatorAdminCall(emulator, 'POST', '/counters/reset');
  await action();
  const counters = (await emulatorAdminCall(emulator, 'GET', '/counters')) as {
    routes: Record<string, number>;
  };
  return Object.entries(counters.routes)
    .filter(([route]) => route.includes('/services/data/'))
    .reduce((sum, [, count]) => sum + count, 0);
}

export function newKey(): string {
  return `key-${randomUUID()}`;
}

export interface SendBody {
  connectionId: string;
  kind: 'note' | 'task' | 'event';
  values: Record<string, string | number | null>;
  records: Array<{ type: string; id: string }>;
  idempotencyKey?: string;
}

export function sendItem(session: ServiceSession, meetingId: string, itemId: string, body: SendBody) {
  return session.call('POST', `/api/meetings/${meetingId}/items/${itemId}/sends`, {
    idempotencyKey: newKey(),
    ...body,
  });
}

/**
 * Arms one emulator fault of `kind`, once, on the POSTs that create a Task; `extra` adds to it or
 * names another method, path or count.
 */
export function injectFault(
  emulator: RunningEmulator,
  kind: string,
  extra: Record<string, unknown> = {},
): Promise<unknown> {
  return emulatorAdminCall(emulator, 'POST', '/faults', {
    method: 'POST',
    path: '/services/data/*/sobjects/Task',
    kind,
    times: 1,
    ...extra,
  });
}
