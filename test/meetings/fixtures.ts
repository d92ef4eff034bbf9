/**
 * Salesforce-shaped fixtures. The describe files were captured from the emulator's
 * `GET /sobjects/{T}/describe` as alice (System Administrator), keeping the field properties the
 * send form reads; they are parsed with the same schema the adapter uses on a real response.
 */
import { readFileSync } from 'node:fs';
import {
  type DescribeSObject,
  describeSObjectSchema,
  type SendDescribes,
} from '../../src/meetings/form-fields.ts';
import type { Meeting } from '../../src/meetings/meeting-format.ts';

export function loadDescribe(name: 'Task' | 'Event' | 'ContentNote' | 'Note'): DescribeSObject {
  const text = readFileSync(new URL(`./fixtures/describe-${name}.json`, import.meta.url), 'utf8');
  return describeSObjectSchema.parse(JSON.parse(text));
}

export function allDescribes(): SendDescribes {
  return {
    Task: loadDescribe('Task'),
    Event: loadDescribe('Event'),
    ContentNote: loadDescribe('ContentNote'),
    Note: loadDescribe('Note'),
  };
}

/** A describe with one field changed or removed, as a customized org or a restricted profile shows it. */
export function withField(
  describe: DescribeSObject,
  name: string,
  change: ((field: DescribeSObject['fields'][number]) => DescribeSObject['fields'][number]) | null,
): DescribeSObject {
  const fields = describe.fields.flatMap((field) => {
    if (field.name !== name) return [field];
    return change === null ? [] : [change(structuredClone(field))];
  });
  return { ...describe, fields };
}

export const ALICE_ID = '0058d0000000001AAA';
export const BOB_ID = '0058d0000000002AAA';

export const ACTIVE_USERS = [
  { Id: BOB_ID, Name: 'Bob Seller' },
  { Id: ALICE_ID, Name: 'Alice Admin' },
  { Id: '0058d0000000004AAA', Name: 'Dave Contractor' },
];

export const RECORD_IDS = {
  Account: '0018d0000000001AAA',
  Contact: '0038d0000000001AAA',
  Lead: '00Q8d0000000001EAA',
  Opportunity: '0068d0000000001AAA',
  Case: '5008d0000000001AAA',
} as const;

export function sampleMeeting(): Meeting {
  return {
    title: 'Globex renewal: pricing review',
    startTime: '2027-02-01T15:00:00Z',
    endTime: '2027-02-01T15:45:00Z',
    participants: [
      { name: 'Alice Admin', email: 'alice@acme.demo', internal: true },
      { name: 'Dana Lee', email: 'Dana@Globex.example', internal: false },
      { name: 'Sam Ortiz', email: 'sam@initech.example', internal: false },
    ],
    items: [
      { id: 'i1', kind: 'insight', text: 'Globex cares more about onboarding speed than price.' },
      { id: 'd1', kind: 'decision', text: 'Go with the 3-year plan & a <10%> discount.' },
      {
        id: 'n1',
        kind: 'next_step',
        text: 'Send the revised quote to Dana',
        ownerEmail: 'alice@acme.demo',
        dueDate: '2027-02-05',
      },
      { id: 't1', kind: 'task', text: 'Book a security review with their IT team' },
    ],
  };
}
