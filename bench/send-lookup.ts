/**
 * Part of `npm run bench -- send`: the Salesforce calls one unknown-outcome lookup costs, with
 * 0, 250 and 2,100 other activities by the same Salesforce user on the record inside its window
 * (seeded through sObject Collections, 200 a call). The lookup pages through them (2,000 a page).
 */
import { randomUUID } from 'node:crypto';
import type jsforce from 'jsforce';
import type { ServiceSession } from '../test/support/connections.ts';

export interface LookupBenchInput {
  direct: jsforce.Connection;
  /** A record of the lookup's own, so nothing else the benchmark sends falls in its window. */
  account: string;
  admin: (method: string, route: string, body?: unknown) => Promise<unknown>;
  countCalls: (action: () => Promise<unknown>) => Promise<number>;
  /** A send of a task on `on` (the lookup's own record). */
  send: (
    session: ServiceSession,
    kind: 'task',
    key: string,
    subject: string,
    on: { type: string; id: string },
  ) => Promise<{ status: number }>;
  alice: ServiceSession;
  /** Moves the service's clock past the settle time. */
  advanceClock: (milliseconds: number) => Promise<void>;
}

export async function lookupCallsTable(input: LookupBenchInput): Promise<Array<[number, number]>> {
  const rows: Array<[number, number]> = [];
  let seeded = 0;
  const target = { type: 'Account', id: input.account };
  for (const others of [0, 250, 2_100]) {
    const key = randomUUID();
    const subject = `bench-lookup-${others}`;
    // The create commits but its answer is lost, and so is the first lookup: the outcome is unknown.
    await input.admin('POST', '/faults', {
      method: 'POST',
      path: '/services/data/*/sobjects/Task',
      kind: 'drop-after',
      times: 1,
    });
    await input.admin('POST', '/faults', {
      method: 'GET',
      path: '/services/data/*/queryAll',
      kind: 'request-limit-exceeded',
      times: 1,
    });
    const first = await input.send(input.alice, 'task', key, subject, target);
    if (first.status !== 503) throw new Error(`expected an unknown outcome, got ${first.status}`);
    for (; seeded < others; seeded += 200) {
      const records = Array.from({ length: Math.min(200, others - seeded) }, (_, index) => ({
        Subject: `bench-other ${seeded + index}`,
        WhatId: input.account,
        Status: 'Completed',
      }));
      await input.direct.sobject('Task').create(records, { allOrNone: true });
    }
    await input.advanceClock(120_000);
    const calls = await input.countCalls(async () => {
      const retry = await input.send(input.alice, 'task', key, subject, target);
      if (retry.status !== 200) throw new Error(`the retry did not find the record: ${retry.status}`);
    });
    rows.push([others, calls]);
  }
  return rows;
}
