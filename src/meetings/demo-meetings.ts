/**
 * Demo mode's meetings: a few realistic customer calls whose external participants are contacts
 * and a lead of the emulator's Acme Demo org, so suggestions and sends work out of the box.
 *
 * The service never reads emulator internals: these names and emails are copied from the demo
 * org's deterministic data set (emulator/seed, default seed 42), and test/meetings/demo.test.ts
 * checks through the Salesforce API that each one is still a contact or lead there.
 */
import type { ServiceContext } from '../platform/service-context.ts';
import type { Meeting } from './meeting-format.ts';
import { insertMeetings } from './meeting-store.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The demo org's people the meetings use (Acme Demo, seed 42). */
export const DEMO_SALESFORCE_PEOPLE = [
  { name: 'Mei Rossi', email: 'mei.rossi@harborviewhotels.example', object: 'Contact' },
  { name: 'Sofia Ibrahim', email: 'sofia.ibrahim@harborviewhotels.example', object: 'Contact' },
  { name: 'Daniel Patel', email: 'daniel.patel@pinecrest.example', object: 'Contact' },
  { name: 'Isabella Hansen', email: 'isabella.hansen@pinecrest.example', object: 'Contact' },
  { name: 'David Carter', email: 'david.carter@meridiantelecom.example', object: 'Contact' },
  { name: 'Priya Dubois', email: 'priya@foxglovefoods.example', object: 'Lead' },
] as const;

function external(index: number) {
  const person = DEMO_SALESFORCE_PEOPLE[index];
  return { name: person.name, email: person.email, internal: false };
}

const ALICE = { name: 'Alice Admin', email: 'alice@forcefield.demo', internal: true };
const BOB = { name: 'Bob Member', email: 'bob@forcefield.demo', internal: true };
const CAROL = { name: 'Carol Member', email: 'carol@forcefield.demo', internal: true };

/** Meetings of the last days, at whole hours; due dates a week or two ahead. */
export function demoMeetings(now: number): Meeting[] {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const at = (daysAgo: number, hourUtc: number) => new Date(today - daysAgo * DAY_MS + hourUtc * HOUR_MS);
  const slot = (daysAgo: number, hourUtc: number, minutes: number) => ({
    startTime: at(daysAgo, hourUtc).toISOString(),
    endTime: new Date(at(daysAgo, hourUtc).getTime() + minutes * 60_000).toISOString(),
  });
  const due = (daysAhead: number) => new Date(today + daysAhead * DAY_MS).toISOString().slice(0, 10);
  return [
    {
      title: 'Harborview Hospitality — mobile rollout proposal review',
      ...slot(1, 17, 45),
      participants: [ALICE, BOB, external(0), external(1)],
      items: [
        {
          id: 'insight-1',
          kind: 'insight',
          text: 'Mei wants the rollout live in all 14 properties before the summer season; front-desk staff turnover is their biggest risk.',
        },
        {
          id: 'decision-1',
          kind: 'decision',
          text: 'Harborview will pilot the mobile check-in at the two Seattle properties first, then roll out chain-wide.',
        },
        {
          id: 'next-step-1',
          kind: 'next_step',
          text: 'Send the revised proposal with pilot pricing and the three-year option to Sofia.',
          ownerEmail: 'alice@forcefield.demo',
          dueDate: due(7),
        },
        {
          id: 'task-1',
          kind: 'task',
          text: 'Book a technical walkthrough with their IT team on the property-management integration.',
          ownerEmail: 'bob@forcefield.demo',
          dueDate: due(10),
        },
      ],
    },
    {
      title: 'Pinecrest Software — data migration kickoff',
      ...slot(2, 18, 60),
      participants: [ALICE, CAROL, external(2), external(3)],
      items: [
        {
          id: 'insight-1',
          kind: 'insight',
          text: 'The nightly export timeouts (their open case) are what pushed Daniel to fund the migration this quarter.',
        },
        {
          id: 'decision-1',
          kind: 'decision',
          text: 'Cut-over happens over a weekend; Pinecrest freezes schema changes two weeks before.',
        },
        {
          id: 'next-step-1',
          kind: 'next_step',
          text: 'Share the migration runbook draft with Isabella for review.',
          ownerEmail: 'carol@forcefield.demo',
          dueDate: due(5),
        },
        {
          id: 'task-1',
          kind: 'task',
          text: 'Confirm the data-volume estimate (rows per table) with Pinecrest IT.',
          ownerEmail: 'alice@forcefield.demo',
          dueDate: due(3),
        },
      ],
    },
    {
      title: 'Meridian Telecom — integration services scoping',
      ...slot(3, 16, 30),
      participants: [BOB, CAROL, external(4)],
      items: [
        {
          id: 'insight-1',
          kind: 'insight',
          text: "David's procurement cycle needs three vendor quotes; we are the incumbent on the pilot.",
        },
        {
          id: 'decision-1',
          kind: 'decision',
          text: 'Scope the integration in two phases, billing first and provisioning second.',
        },
        {
          id: 'next-step-1',
          kind: 'next_step',
          text: 'Prepare the phase-one statement of work for David.',
          ownerEmail: 'bob@forcefield.demo',
          dueDate: due(8),
        },
        {
          id: 'task-1',
          kind: 'task',
          text: 'Send two customer references in telecom.',
          ownerEmail: 'bob@forcefield.demo',
          dueDate: due(4),
        },
      ],
    },
    {
      title: 'Intro call with Foxglove Foods',
      ...slot(4, 19, 30),
      participants: [BOB, external(5)],
      items: [
        {
          id: 'insight-1',
          kind: 'insight',
          text: 'Priya runs operations for 40 stores and tracks deliveries in spreadsheets today.',
        },
        {
          id: 'decision-1',
          kind: 'decision',
          text: 'Foxglove agreed to a 30-day trial with two stores.',
        },
        {
          id: 'next-step-1',
          kind: 'next_step',
          text: 'Schedule the trial onboarding session with Priya.',
          ownerEmail: 'bob@forcefield.demo',
          dueDate: due(6),
        },
        {
          id: 'task-1',
          kind: 'task',
          text: 'Send Priya the trial agreement and the onboarding checklist.',
          ownerEmail: 'bob@forcefield.demo',
          dueDate: due(2),
        },
      ],
    },
  ];
}

/** Seeds the demo meetings once: when the workspace has no meeting at all. */
export async function seedDemoMeetings(service: ServiceContext): Promise<number> {
  const existing = await service.store.db.selectFrom('meetings').select('id').limit(1).executeTakeFirst();
  if (existing) return 0;
  const meetings = demoMeetings(service.now());
  await insertMeetings(service.store, meetings, { createdBy: null, source: 'demo', now: service.now() });
  service.logger.info({ meetings: meetings.length }, 'seeded the demo meetings');
  return meetings.length;
}
