import { describe, expect, it } from 'vitest';
import { Org } from '../../emulator/org/org.ts';
import type { StoredRecord } from '../../emulator/schema/types.ts';

function account(org: Org, name: string): StoredRecord {
  return {
    Id: org.ids.next('001'),
    ...org.systemFields(org.adminUserId),
    Name: name,
    OwnerId: org.adminUserId,
  };
}

describe('record store', () => {
  it('keeps hash indexes in step with inserts and updates, case-insensitively for text', () => {
    const org = new Org();
    const table = org.store.table('Account');
    const record = account(org, 'Globex');
    org.store.insert('Account', record);
    expect([...table.lookup('Name', 'globex')!]).toEqual([record.Id]);
    org.store.update('Account', record.Id as string, { Name: 'Initech' });
    expect(table.lookup('Name', 'globex')!.size).toBe(0);
    expect([...table.lookup('Name', 'INITECH')!]).toEqual([record.Id]);
    expect(table.lookup('Description', 'x')).toBeUndefined();
  });

  it('undoes every change of a failed transaction and tells listeners', () => {
    const org = new Org();
    const seen: string[] = [];
    org.store.subscribe((change) => seen.push(`${change.after ? 'put' : 'remove'} ${change.id}`));
    const kept = account(org, 'Kept');
    org.store.insert('Account', kept);
    const doomed = account(org, 'Doomed');
    expect(() =>
      org.store.transaction(() => {
        org.store.insert('Account', doomed);
        org.store.update('Account', kept.Id as string, { Name: 'Changed' });
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(org.store.get('Account', doomed.Id as string)).toBeUndefined();
    expect(org.store.get('Account', kept.Id as string)?.Name).toBe('Kept');
    expect(seen.at(-1)).toBe(`remove ${doomed.Id}`);
  });

  it('treats a nested transaction as a savepoint', () => {
    const org = new Org();
    const outer = account(org, 'Outer');
    const inner = account(org, 'Inner');
    org.store.transaction(() => {
      org.store.insert('Account', outer);
      try {
        org.store.transaction(() => {
          org.store.insert('Account', inner);
          throw new Error('inner failure');
        });
      } catch {
        // The caller carries on after the inner failure.
      }
    });
    expect(org.store.get('Account', outer.Id as string)?.Name).toBe('Outer');
    expect(org.store.get('Account', inner.Id as string)).toBeUndefined();
  });
});
