/**
 * Large synthetic data sets for benchmarks and load tests: many Accounts, Contacts and Leads with
 * realistic shapes (indexed emails, names that spread like real surnames). Records still go through
 * createRecord, so a benchmark measures an org whose data was validated like any client's.
 */
import type { Org } from '../org/org.ts';
import { createRecord } from '../records/dml.ts';
import {
  BULK_COMPANY_KINDS,
  BULK_COMPANY_SUFFIXES,
  BULK_COMPANY_WORDS,
  FIRST_NAMES,
  SENIOR_TITLES,
  STAFF_TITLES,
  SURNAME_ENDS,
  SURNAME_MIDDLES,
  SURNAME_STARTS,
} from './names.ts';
import { Random } from './random.ts';

export interface BulkSeedOptions {
  accounts: number;
  /** Spread over the new accounts; requires accounts > 0. */
  contacts: number;
  leads: number;
  seed?: number;
  /** Owners, in turn (and creators of their records). Default: alice and bob, else the admin. */
  ownerIds?: string[];
}

export interface BulkSeedResult {
  accountIds: string[];
  contactIds: string[];
  leadIds: string[];
}

const INDUSTRIES = [
  'Technology',
  'Manufacturing',
  'Healthcare',
  'Finance',
  'Retail',
  'Energy',
  'Media',
  'Transportation',
];
const CITIES: ReadonlyArray<readonly [string, string]> = [
  ['Seattle', 'WA'],
  ['Austin', 'TX'],
  ['Chicago', 'IL'],
  ['Denver', 'CO'],
  ['Atlanta', 'GA'],
  ['Boston', 'MA'],
  ['Phoenix', 'AZ'],
  ['Columbus', 'OH'],
];
const TITLES = [...SENIOR_TITLES, ...STAFF_TITLES];

function surname(random: Random): string {
  return random.pick(SURNAME_STARTS) + random.pick(SURNAME_MIDDLES) + random.pick(SURNAME_ENDS);
}

function phone(random: Random): string {
  return `(${random.int(201, 989)}) 555-01${String(random.int(0, 99)).padStart(2, '0')}`;
}

/** Creates the requested records; returns their ids in creation order. Deterministic for a seed. */
export function seedBulk(org: Org, options: BulkSeedOptions): BulkSeedResult {
  const random = new Random(options.seed ?? 7);
  const defaultOwners = ['alice@acme.demo', 'bob@acme.demo']
    .map((username) => org.userIdByUsername(username))
    .filter((id): id is string => id !== undefined);
  const owners = options.ownerIds ?? (defaultOwners.length > 0 ? defaultOwners : [org.adminUserId]);
  const result: BulkSeedResult = { accountIds: [], contactIds: [], leadIds: [] };
  const domains: string[] = [];
  const accountOwners: string[] = [];

  for (let index = 0; index < options.accounts; index++) {
    const ownerId = owners[index % owners.length];
    const word = random.pick(BULK_COMPANY_WORDS);
    const kind = random.pick(BULK_COMPANY_KINDS);
    const domain = `${word}${kind}.example`.toLowerCase();
    const [city, state] = random.pick(CITIES);
    const employees = random.int(10, 20_000);
    const id = createRecord(org, ownerId, 'Account', {
      Name: `${word} ${kind} ${random.pick(BULK_COMPANY_SUFFIXES)}`,
      Type: random.pick(['Prospect', 'Customer - Direct', 'Customer - Channel']),
      Industry: random.pick(INDUSTRIES),
      Website: `https://www.${domain}`,
      Phone: phone(random),
      BillingCity: city,
      BillingState: state,
      BillingCountry: 'United States',
      NumberOfEmployees: employees,
      AnnualRevenue: employees * random.int(50, 400) * 1_000,
    });
    result.accountIds.push(id);
    domains.push(domain);
    accountOwners.push(ownerId);
  }

  if (options.contacts > 0 && options.accounts === 0) throw new Error('seedBulk: contacts need accounts');
  for (let index = 0; index < options.contacts; index++) {
    const accountIndex = random.int(0, result.accountIds.length - 1);
    const firstName = random.pick(FIRST_NAMES);
    const lastName = surname(random);
    const id = createRecord(org, accountOwners[accountIndex], 'Contact', {
      AccountId: result.accountIds[accountIndex],
      FirstName: firstName,
      LastName: lastName,
      Title: random.pick(TITLES),
      Email: `${firstName}.${lastName}@${domains[accountIndex]}`.toLowerCase(),
      Phone: phone(random),
    });
    result.contactIds.push(id);
  }

  for (let index = 0; index < options.leads; index++) {
    const firstName = random.pick(FIRST_NAMES);
    const lastName = surname(random);
    const word = random.pick(BULK_COMPANY_WORDS);
    const kind = random.pick(BULK_COMPANY_KINDS);
    const id = createRecord(org, owners[index % owners.length], 'Lead', {
      FirstName: firstName,
      LastName: lastName,
      Company: `${word} ${kind}`,
      Email: `${firstName}.${lastName}@${word}${kind}.example`.toLowerCase(),
      Phone: phone(random),
      Status: random.pick(['Open - Not Contacted', 'Working - Contacted', 'Closed - Not Converted']),
      Industry: random.pick(INDUSTRIES),
    });
    result.leadIds.push(id);
  }
  return result;
}
