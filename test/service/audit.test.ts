import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/audit/audit-log.ts';
import { openTestStore, STORE_DIALECTS } from '../support/store.ts';

describe.each(STORE_DIALECTS)('audit log on %s', (dialect) => {
  it('appends events, filters and pages newest first, and exports oldest first', async () => {
    const test = await openTestStore(dialect);
    try {
      let now = Date.parse('2026-05-01T10:00:00Z');
      const audit = new AuditLog(test.store, () => now++);
      for (let index = 0; index < 7; index++) {
        await audit.record({
          actorUserId: index % 2 === 0 ? 'alice' : 'bob',
          connectionId: 'c1',
          surface: 'api',
          action: 'salesforce.record.created',
          objectType: 'Task',
          recordIds: [`00T${index}`],
          outcome: index === 6 ? 'failure' : 'success',
          errorCode: index === 6 ? 'REQUIRED_FIELD_MISSING' : null,
          detail: { index },
        });
      }
      const first = await audit.query({ limit: 3 });
      expect(first.events.map((event) => event.detail.index)).toEqual([6, 5, 4]);
      const second = await audit.query({ limit: 3, cursor: first.nextCursor! });
      expect(second.events.map((event) => event.detail.index)).toEqual([3, 2, 1]);
      const third = await audit.query({ limit: 3, cursor: second.nextCursor! });
      expect(third.events.map((event) => event.detail.index)).toEqual([0]);
      expect(third.nextCursor).toBeNull();
      const alice = await audit.query({ actorUserId: 'alice' });
      expect(alice.events).toHaveLength(4);
      const failures = await audit.query({ outcome: 'failure' });
      expect(failures.events[0]).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', recordIds: ['00T6'] });
      const lines: string[] = [];
      for await (const line of audit.exportLines({ actorUserId: 'bob' })) lines.push(line);
      expect(lines.map((line) => JSON.parse(line).detail.index)).toEqual([1, 3, 5]);
    } finally {
      await test.dispose();
    }
  });

  it('refuses detail that could carry secrets or Salesforce values', async () => {
    const test = await openTestStore(dialect);
    try {
      const audit = new AuditLog(test.store);
      const base = {
        actorUserId: 'a',
        surface: 'api' as const,
        action: 'meeting.send' as const,
        outcome: 'success' as const,
      };
      await expect(audit.record({ ...base, detail: { accessToken: 'abc' } })).rejects.toThrow(/sensitive/);
      await expect(audit.record({ ...base, detail: { fieldValue: 'abc' } })).rejects.toThrow(/sensitive/);
      expect((await audit.query({})).events).toHaveLength(0);
    } finally {
      await test.dispose();
    }
  });
});
