/**
 * The Acme Demo data set: a small B2B sales org (accounts with their contacts, leads, a pipeline of
 * opportunities with contact roles, support cases, tasks and meetings) owned by alice and bob.
 *
 * Every record goes through createRecord, as the REST API would create it, so the data obeys the
 * same validation, defaults and derived fields as anything a client creates later. The data is a
 * pure function of the seed and the clock: ids come from the org's counters in creation order, and
 * dates are offsets from the clock's current day, so open opportunities always close in the future.
 */
import { formatDate, formatDateTime } from '../core/datetime.ts';
import type { Org } from '../org/org.ts';
import { createRecord } from '../records/dml.ts';
import {
  CASE_TEMPLATES,
  COMPANIES,
  type CompanyProfile,
  departmentFor,
  EVENT_SUBJECTS,
  FIRST_NAMES,
  LAST_NAMES,
  LEAD_COMPANIES,
  MEETING_LOCATIONS,
  NEXT_STEPS,
  PRODUCTS,
  SENIOR_TITLES,
  STAFF_TITLES,
  TASK_SUBJECTS,
} from './names.ts';
import { Random } from './random.ts';

export { type BulkSeedOptions, type BulkSeedResult, seedBulk } from './bulk.ts';

export interface SeedOptions {
  seed?: number;
}

export const DEFAULT_SEED = 42;

/** The objects the demo data fills, in creation order (describeDemoData reports them in this order). */
export const SEEDED_OBJECTS = [
  'Account',
  'Contact',
  'Lead',
  'Opportunity',
  'OpportunityContactRole',
  'Case',
  'Task',
  'Event',
] as const;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const ACCOUNT_COUNT = 12;
const LEAD_COUNT = 10;
const EXTRA_OPPORTUNITIES = 3;
const CASE_COUNT = 8;
const TASK_COUNT = 12;
const EVENT_COUNT = 6;

/**
 * Offsets from "today" (UTC midnight of the clock's now), as Salesforce date and datetime strings.
 * Offsets land on weekdays, as deals close and meetings happen on working days; a weekend moves
 * away from today (to Monday ahead, to Friday behind) so past stays past and future stays future.
 */
class Calendar {
  readonly #today: number;

  constructor(now: number) {
    this.#today = Math.floor(now / DAY_MS) * DAY_MS;
  }

  #weekday(daysFromToday: number): number {
    let day = this.#today + daysFromToday * DAY_MS;
    const step = daysFromToday >= 0 ? DAY_MS : -DAY_MS;
    while ([0, 6].includes(new Date(day).getUTCDay())) day += step;
    return day;
  }

  date(daysFromToday: number): string {
    return formatDate(this.#weekday(daysFromToday));
  }

  /** `hourUtc` 16–23 is the org's (Pacific) business day. */
  dateTime(daysFromToday: number, hourUtc: number, minute = 0): string {
    return formatDateTime(this.#weekday(daysFromToday) + hourUtc * HOUR_MS + minute * 60_000);
  }
}

interface SeededAccount {
  id: string;
  ownerId: string;
  company: CompanyProfile;
  type: string;
  contacts: SeededContact[];
  opportunities: SeededOpportunity[];
  /** Products already quoted to this account: opportunity names stay distinct. */
  products: Set<string>;
}

interface SeededContact {
  id: string;
  ownerId: string;
}

interface SeededOpportunity {
  id: string;
  ownerId: string;
  isClosed: boolean;
}

interface SeededLead {
  id: string;
  ownerId: string;
}

/** Lower-case ASCII for an email local part (`O'Brien` → `obrien`). */
function emailPart(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Amounts a sales team would quote: whole multiples of 500. */
function roundAmount(value: number): number {
  return Math.round(value / 500) * 500;
}

/**
 * Fills the org with the demo data set. Records are created by their owner (alice or bob), so
 * CreatedById matches OwnerId as when a rep enters their own pipeline.
 */
export function seedDemoData(org: Org, options: SeedOptions = {}): void {
  const random = new Random(options.seed ?? DEFAULT_SEED);
  const calendar = new Calendar(org.clock.now());
  const alice = org.userIdByUsername('alice@acme.demo') ?? org.adminUserId;
  const bob = org.userIdByUsername('bob@acme.demo') ?? alice;
  const create = (ownerId: string, objectName: string, body: Record<string, unknown>): string =>
    createRecord(org, ownerId, objectName, body);

  // Half the book each, in a seeded order: every opportunity sits on its account owner's book, and
  // every account gets one, so both reps always own pipeline (Opportunity sharing tests need that).
  const companies = random.sample(COMPANIES, ACCOUNT_COUNT);
  const owners = random.shuffle(companies.map((_company, index) => (index % 2 === 0 ? alice : bob)));
  const usedNames = new Set<string>();
  const personName = (): { firstName: string; lastName: string } => {
    for (;;) {
      const firstName = random.pick(FIRST_NAMES);
      const lastName = random.pick(LAST_NAMES);
      const key = `${firstName} ${lastName}`;
      if (usedNames.has(key)) continue;
      usedNames.add(key);
      return { firstName, lastName };
    }
  };

  const accounts: SeededAccount[] = companies.map((company, index) => {
    const ownerId = owners[index];
    const type = random.weighted([
      ['Customer - Direct', 6],
      ['Prospect', 3],
      ['Customer - Channel', 2],
      ['Channel Partner / Reseller', 1],
    ] as const);
    const employees = random.pick([45, 120, 380, 850, 1_600, 4_200, 12_000]) + random.int(0, 40);
    const id = create(ownerId, 'Account', {
      Name: company.name,
      Type: type,
      Industry: company.industry,
      Website: `https://www.${company.domain}`,
      Phone: company.phone(random.int(0, 99)),
      BillingStreet: `${random.int(100, 9899)} ${random.pick(['Market', 'Main', 'Commerce', 'Harbor', 'Oak', 'Lake'])} ${random.pick(['Street', 'Avenue', 'Boulevard'])}`,
      BillingCity: company.city,
      BillingState: company.state,
      BillingCountry: company.country,
      // Revenue roughly tracks head count, to the nearest $10k, as an analyst's estimate would.
      AnnualRevenue: Math.round((employees * random.int(120_000, 320_000)) / 10_000) * 10_000,
      NumberOfEmployees: employees,
      Rating: random.pick(['Hot', 'Warm', 'Cold']),
      AccountSource: random.pick(['Web', 'Partner Referral', 'Phone Inquiry', 'Other']),
      Description: `${company.industry} company headquartered in ${company.city}.`,
    });
    return { id, ownerId, company, type, contacts: [], opportunities: [], products: new Set() };
  });

  for (const account of accounts) {
    const count = random.int(2, 4);
    const titles = [random.pick(SENIOR_TITLES), ...random.sample(STAFF_TITLES, count - 1)];
    for (const title of titles) {
      const { firstName, lastName } = personName();
      const id = create(account.ownerId, 'Contact', {
        AccountId: account.id,
        Salutation: random.pick(['Mr.', 'Ms.', 'Dr.', null]),
        FirstName: firstName,
        LastName: lastName,
        Title: title,
        Department: departmentFor(title),
        Email: `${emailPart(firstName)}.${emailPart(lastName)}@${account.company.domain}`,
        Phone: account.company.phone(random.int(0, 99)),
        MailingCity: account.company.city,
        MailingState: account.company.state,
        MailingCountry: account.company.country,
        LeadSource: random.pick(['Web', 'Partner Referral', 'Phone Inquiry', 'Purchased List']),
      });
      account.contacts.push({ id, ownerId: account.ownerId });
    }
  }

  const leads: SeededLead[] = random.sample(LEAD_COMPANIES, LEAD_COUNT).map((company, index) => {
    const ownerId = index % 2 === 0 ? bob : alice;
    const { firstName, lastName } = personName();
    const id = create(ownerId, 'Lead', {
      FirstName: firstName,
      LastName: lastName,
      Title: random.pick([...SENIOR_TITLES, ...STAFF_TITLES]),
      Company: company.name,
      Email: `${emailPart(firstName)}@${company.domain}`,
      Phone: company.phone(random.int(0, 99)),
      Website: `https://www.${company.domain}`,
      City: company.city,
      State: company.state,
      Country: company.country,
      Industry: company.industry,
      Status: random.weighted([
        ['Open - Not Contacted', 4],
        ['Working - Contacted', 4],
        ['Closed - Not Converted', 1],
      ] as const),
      LeadSource: random.pick(['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other']),
      Rating: random.pick(['Hot', 'Warm', 'Cold']),
      NumberOfEmployees: random.pick([12, 35, 80, 240, 600]),
    });
    return { id, ownerId };
  });

  // A fixed stage mix (shuffled) so every seed has won, lost and open deals.
  const opportunityAccounts = [
    ...accounts,
    ...Array.from({ length: EXTRA_OPPORTUNITIES }, () => random.pick(accounts)),
  ];
  const stages = random.shuffle([
    ...Array<string>(4).fill('Closed Won'),
    ...Array<string>(2).fill('Closed Lost'),
    ...Array.from({ length: opportunityAccounts.length - 6 }, () =>
      random.pick([
        'Prospecting',
        'Qualification',
        'Needs Analysis',
        'Value Proposition',
        'Id. Decision Makers',
        'Proposal/Price Quote',
        'Negotiation/Review',
      ]),
    ),
  ]);
  opportunityAccounts.forEach((account, index) => {
    const stage = stages[index];
    const isClosed = stage.startsWith('Closed');
    let product = random.pick(PRODUCTS);
    while (account.products.has(product)) product = random.pick(PRODUCTS);
    account.products.add(product);
    const existingCustomer = account.type.startsWith('Customer');
    const id = create(account.ownerId, 'Opportunity', {
      AccountId: account.id,
      Name: `${account.company.name} - ${product}`,
      StageName: stage,
      Amount: roundAmount(random.int(8_000, 240_000)),
      // Closed deals closed in the last four months; open ones are forecast for the next four.
      CloseDate: isClosed ? calendar.date(-random.int(3, 120)) : calendar.date(random.int(7, 120)),
      Type: existingCustomer
        ? random.pick(['Existing Customer - Upgrade', 'Existing Customer - Replacement'])
        : 'New Customer',
      LeadSource: random.pick(['Web', 'Partner Referral', 'Phone Inquiry', 'Other']),
      NextStep: isClosed ? null : random.pick(NEXT_STEPS),
      Description: `${product} for ${account.company.name}.`,
    });
    account.opportunities.push({ id, ownerId: account.ownerId, isClosed });

    // One primary role (the senior contact decides or signs), plus the others who weigh in.
    const [primary, ...others] = account.contacts;
    create(account.ownerId, 'OpportunityContactRole', {
      OpportunityId: id,
      ContactId: primary.id,
      Role: random.pick(['Decision Maker', 'Economic Buyer', 'Executive Sponsor']),
      IsPrimary: true,
    });
    for (const contact of random.sample(others, random.int(0, Math.min(2, others.length)))) {
      create(account.ownerId, 'OpportunityContactRole', {
        OpportunityId: id,
        ContactId: contact.id,
        Role: random.pick(['Influencer', 'Technical Buyer', 'Evaluator', 'Business User']),
        IsPrimary: false,
      });
    }
  });

  const caseStatuses = random.shuffle([
    'New',
    'New',
    'Working',
    'Working',
    'Working',
    'Escalated',
    'Closed',
    'Closed',
  ]);
  const caseTemplates = random.sample(CASE_TEMPLATES, CASE_COUNT);
  caseTemplates.forEach((template, index) => {
    const account = random.pick(accounts);
    const contact = random.pick(account.contacts);
    const status = caseStatuses[index];
    create(account.ownerId, 'Case', {
      AccountId: account.id,
      ContactId: contact.id,
      Subject: template.subject,
      Description: template.description,
      Reason: template.reason,
      Status: status,
      Priority:
        status === 'Escalated'
          ? 'High'
          : random.weighted([
              ['High', 1],
              ['Medium', 3],
              ['Low', 2],
            ] as const),
      Origin: random.pick(['Phone', 'Email', 'Web']),
      Type: 'Other',
    });
  });

  for (let index = 0; index < TASK_COUNT; index++) {
    const completed = index % 3 === 0 || random.chance(0.25);
    const status = completed
      ? 'Completed'
      : random.pick(['Not Started', 'Not Started', 'In Progress', 'Waiting on someone else']);
    // Done tasks were due in the past; open ones are mostly upcoming, a few overdue.
    const dueInDays = completed
      ? -random.int(1, 30)
      : random.chance(0.2)
        ? -random.int(1, 5)
        : random.int(1, 21);
    const subject = random.pick(TASK_SUBJECTS);
    const common = {
      Subject: subject,
      Status: status,
      Priority: random.weighted([
        ['High', 1],
        ['Normal', 4],
        ['Low', 1],
      ] as const),
      ActivityDate: calendar.date(dueInDays),
      Type: subject === 'Call' ? 'Call' : subject === 'Email' ? 'Email' : 'Other',
    };
    if (index % 4 === 3) {
      // Salesforce allows no WhatId with a Lead WhoId: lead follow-ups stand alone.
      const lead = random.pick(leads);
      create(lead.ownerId, 'Task', {
        ...common,
        WhoId: lead.id,
        Description: 'Qualify interest and timeline.',
      });
      continue;
    }
    const account = random.pick(accounts);
    const contact = random.pick(account.contacts);
    const openDeals = account.opportunities.filter((opportunity) => !opportunity.isClosed);
    const what = openDeals.length > 0 && random.chance(0.6) ? random.pick(openDeals).id : account.id;
    create(account.ownerId, 'Task', { ...common, WhoId: contact.id, WhatId: what });
  }

  for (let index = 0; index < EVENT_COUNT; index++) {
    const account = random.pick(accounts);
    const contact = random.pick(account.contacts);
    const opportunity = random.pick(account.opportunities);
    const subject = EVENT_SUBJECTS[index % EVENT_SUBJECTS.length];
    // A third of the meetings already happened; the rest are on the calendar for the coming weeks.
    const dayOffset = index % 3 === 0 ? -random.int(1, 14) : random.int(1, 21);
    const location = random.pick(MEETING_LOCATIONS);
    create(account.ownerId, 'Event', {
      Subject: `${subject} - ${account.company.name}`,
      StartDateTime: calendar.dateTime(dayOffset, random.int(16, 22), random.pick([0, 30])),
      DurationInMinutes: random.pick([30, 45, 60, 90]),
      Location:
        location === 'Customer office' ? `${account.company.name}, ${account.company.city}` : location,
      WhoId: contact.id,
      WhatId: opportunity.isClosed ? account.id : opportunity.id,
      Type: 'Meeting',
      Description: `${subject} with ${account.company.name}.`,
    });
  }
}

/** Live (not deleted) records per seeded object, for the CLI banner and tests. */
export function describeDemoData(org: Org): Record<(typeof SEEDED_OBJECTS)[number], number> {
  const counts = {} as Record<(typeof SEEDED_OBJECTS)[number], number>;
  for (const objectName of SEEDED_OBJECTS) {
    let count = 0;
    for (const record of org.store.table(objectName).records.values()) if (record.IsDeleted !== true) count++;
    counts[objectName] = count;
  }
  return counts;
}
