import { describe, expect, it } from 'vitest';
import {
  buildMarkerLookup,
  findMarkedRecordId,
  MARKER_RESERVED_LENGTH,
  markerFor,
  withMarker,
} from '../../../src/meetings/payloads/send-marker.ts';
import { ALICE_ID, RECORD_IDS } from '../fixtures.ts';

const KEY = 'workspace-1:user-7:7b0c1f0e-4d55-4a53-9d55-2f0d7c1f3a10';
const MARKER = markerFor(KEY);

describe('markerFor', () => {
  it('is short, stable and reveals nothing of the key', () => {
    expect(MARKER).toMatch(/^\[ff:[0-9a-f]{12}\]$/);
    expect(markerFor(KEY)).toBe(MARKER);
    expect(markerFor(`${KEY}x`)).not.toBe(MARKER);
    expect(MARKER).not.toContain('workspace');
    expect(withMarker('Text', MARKER).length - 'Text'.length).toBe(MARKER_RESERVED_LENGTH);
    expect(withMarker(null, MARKER)).toBe(MARKER);
  });
});

describe('marker lookup', () => {
  const sentAt = new Date('2027-02-01T16:20:31.123Z');
  // The last attempt began a minute later; plus a 15 s write timeout and a 60 s settle time.
  const createdBy = new Date('2027-02-01T16:22:46.123Z');

  it('finds activities by creator, linked record and time, then the marker in the text', () => {
    const lookup = buildMarkerLookup({
      kind: 'task',
      record: { type: 'Contact', id: RECORD_IDS.Contact },
      connectedUserId: ALICE_ID,
      sentAt,
      createdBy,
    });
    expect(lookup).toEqual({
      endpoint: 'queryAll',
      // The whole window (less and plus five minutes of clock skew), no LIMIT: the caller pages.
      soql:
        `SELECT Id, Description FROM Task WHERE WhoId = '${RECORD_IDS.Contact}' ` +
        `AND CreatedById = '${ALICE_ID}' AND CreatedDate >= 2027-02-01T16:15:31Z AND CreatedDate <= 2027-02-01T16:27:47Z`,
      idField: 'Id',
      textField: 'Description',
    });
    const rows = [
      { Id: '00T000000000001AAA', Description: 'Another task [ff:000000000000]' },
      { Id: '00T000000000002AAA', Description: `Ours\n\n${MARKER}\n` },
    ];
    expect(findMarkedRecordId(rows, lookup, MARKER)).toBe('00T000000000002AAA');
    expect(findMarkedRecordId(rows.slice(0, 1), lookup, MARKER)).toBeNull();
  });

  it('finds notes through their link to the record', () => {
    const enhanced = buildMarkerLookup({
      kind: 'note',
      record: { type: 'Case', id: RECORD_IDS.Case },
      connectedUserId: ALICE_ID,
      sentAt,
      createdBy,
    });
    expect(enhanced).toMatchObject({ endpoint: 'query', idField: 'ContentDocumentId', textField: null });
    expect(enhanced.soql).toContain(`FROM ContentDocumentLink WHERE LinkedEntityId = '${RECORD_IDS.Case}'`);
    expect(enhanced.soql).not.toContain('Title');
    const titled = buildMarkerLookup({
      kind: 'note',
      record: { type: 'Case', id: RECORD_IDS.Case },
      connectedUserId: ALICE_ID,
      sentAt,
      createdBy,
      title: "Alice's plan",
    });
    expect(titled.soql).toContain("AND ContentDocument.Title = 'Alice\\'s plan'");
    const classic = buildMarkerLookup({
      kind: 'note',
      noteFormat: 'classic',
      record: { type: 'Case', id: RECORD_IDS.Case },
      connectedUserId: ALICE_ID,
      sentAt,
      createdBy,
    });
    expect(classic.soql).toContain(`FROM Note WHERE ParentId = '${RECORD_IDS.Case}'`);
    expect(classic.textField).toBe('Body');
  });
});
