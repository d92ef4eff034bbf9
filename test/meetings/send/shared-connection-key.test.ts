/**
 * An idempotency key belongs to the person who sent with it: on a shared organization connection,
 * another person sending the same item with the same values under the same key is refused with
 * its own code (never handed the first person's send, never sent again).
 */
import { describe, expect, it } from 'vitest';
import { connect } from '../../support/connections.ts';
import { STORE_DIALECTS } from '../../support/store.ts';
import { tasksWithSubject, useMeetingService } from '../service-fixture.ts';
import { newKey, sendItem } from '../support.ts';

describe.each(STORE_DIALECTS)('idempotency keys on a shared connection (%s)', (dialect) => {
  const world = useMeetingService(dialect);

  it("refuses another person's key with idempotency_key_taken, same connection and values", async () => {
    const shared = await connect(world.alice, world.emulator, {
      kind: 'organization',
      username: 'alice@acme.demo',
      name: 'Sales team',
    });
    const shares = await world.alice.call('PUT', `/api/connections/${shared}/shares`, {
      users: [],
      groups: [],
      team: true,
    });
    expect(shares.status).toBe(200);
    const subject = `Shared key ${dialect}`;
    const key = newKey();
    const body = {
      connectionId: shared,
      kind: 'task' as const,
      values: { subject, status: 'Not Started' },
      records: [{ type: 'Account', id: world.records.Account }],
      idempotencyKey: key,
    };
    const first = await sendItem(world.alice, world.meetings.Harborview, 'task-1', body);
    expect(first.status).toBe(201);

    const other = await sendItem(world.bob, world.meetings.Harborview, 'task-1', body);
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('idempotency_key_taken');
    // Nothing of Alice's send is handed to Bob.
    expect(JSON.stringify(other.body)).not.toContain(first.body.send.salesforceId);
    expect(JSON.stringify(other.body)).not.toContain(first.body.send.id);
    expect(await tasksWithSubject(world, subject)).toHaveLength(1);
    // Alice's own retry still replays her send.
    const replay = await sendItem(world.alice, world.meetings.Harborview, 'task-1', body);
    expect(replay.status).toBe(200);
    expect(replay.body.send.salesforceId).toBe(first.body.send.salesforceId);
    // And another key of the same values is refused differently: reused, not taken.
    const changed = await sendItem(world.alice, world.meetings.Harborview, 'task-1', {
      ...body,
      values: { subject: `${subject} changed`, status: 'Not Started' },
    });
    expect(changed.body.error.code).toBe('idempotency_key_reused');
  });
});
