/**
 * The emulator benchmark: an in-process emulator with 100,000 records, measured over real HTTP on
 * 127.0.0.1 the way a client sees it (sequential requests on a keep-alive connection). Each
 * operation's median is also shown against a trivial request's, so the figures separate the
 * emulator's own work from the HTTP stack's fixed cost on this machine. It reports; it never fails
 * the run on a missed target.
 */
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { seedBulk } from '../emulator/seed/bulk.ts';
import { BULK_COMPANY_WORDS } from '../emulator/seed/names.ts';
import { Random } from '../emulator/seed/random.ts';

const API = '/services/data/v66.0';

interface Settings {
  records: number;
  iterations: number;
  warmup: number;
}

interface Operation {
  name: string;
  /** Sends one request (varying with the iteration) and checks the answer; throws on a wrong one. */
  run: (iteration: number) => Promise<void>;
  /** Extra context printed after the figures (e.g. how many hits a search returned). */
  note?: () => string;
}

interface Result {
  name: string;
  samples: number[];
  error?: string;
}

interface Target {
  operation: string;
  label: string;
  p50LimitMs: number;
}

const TARGETS: Target[] = [
  { operation: 'selective SOQL (Email =)', label: 'selective SOQL p50 <= 5 ms', p50LimitMs: 5 },
  { operation: 'SOSL FIND last name', label: 'SOSL p50 <= 5 ms', p50LimitMs: 5 },
];

function parseSettings(args: string[]): Settings {
  const settings: Settings = { records: 100_000, iterations: 300, warmup: 30 };
  for (const arg of args) {
    const match = /^--(records|iterations|warmup)=(\d+)$/.exec(arg);
    if (!match) throw new Error(`unknown option ${arg} (expected --records=N, --iterations=N, --warmup=N)`);
    settings[match[1] as keyof Settings] = Number(match[2]);
  }
  // Bounded whatever the arguments, so the run always ends.
  settings.iterations = Math.min(Math.max(settings.iterations, 1), 100_000);
  settings.warmup = Math.min(settings.warmup, 10_000);
  settings.records = Math.min(Math.max(settings.records, 10), 2_000_000);
  return settings;
}

/** Nearest-rank percentile of sorted samples. */
function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}

function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Reserved SOSL characters must be escaped inside FIND {…}. */
function soslTerm(value: string): string {
  return value.replace(/[?&|!{}[\]()^~*:\\"'+-]/g, (character) => `\\${character}`);
}

function format(milliseconds: number): string {
  return milliseconds.toFixed(2);
}

class Client {
  readonly #base: string;
  readonly #headers: Record<string, string>;

  constructor(base: string, token: string) {
    this.#base = base;
    this.#headers = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
  }

  /** One request; the body is read in full (part of the round trip) and parsed when JSON. */
  async send(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const response = await fetch(this.#base + path, {
      method,
      headers: body === undefined ? this.#headers : { ...this.#headers, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
  }

  /** PUT of CSV job data (Bulk API 2.0); 201 expected. */
  async upload(path: string, csv: string): Promise<void> {
    const response = await fetch(this.#base + path, {
      method: 'PUT',
      headers: { ...this.#headers, 'Content-Type': 'text/csv' },
      body: csv,
    });
    await response.text();
    if (response.status !== 201) throw new Error(`PUT ${path} -> ${response.status}`);
  }

  /** GET of a CSV resource, read in full; its headers (Sforce-Locator) for the caller. */
  async download(path: string): Promise<{ headers: Headers; text: string }> {
    const response = await fetch(this.#base + path, { headers: { ...this.#headers, Accept: 'text/csv' } });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`GET ${path} -> ${response.status} ${text.slice(0, 200)}`);
    return { headers: response.headers, text };
  }

  async expect(status: number, method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await this.send(method, path, body);
    if (response.status !== status) {
      throw new Error(
        `${method} ${path.slice(0, 80)} -> ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`,
      );
    }
    return response.body;
  }
}

/**
 * Runs the operations round-robin (each iteration sends every operation once) rather than one after
 * another, so garbage collection, JIT warm-up and machine noise fall on all of them alike and the
 * ratios to the baseline stay fair. An operation that fails is reported and left out of later rounds.
 */
async function measure(list: Operation[], settings: Settings): Promise<Result[]> {
  const results: Result[] = list.map((operation) => ({ name: operation.name, samples: [] }));
  for (let iteration = 0; iteration < settings.warmup + settings.iterations; iteration++) {
    for (const [index, operation] of list.entries()) {
      const result = results[index];
      if (result.error) continue;
      try {
        const started = performance.now();
        await operation.run(iteration);
        const elapsed = performance.now() - started;
        if (iteration >= settings.warmup) result.samples.push(elapsed);
      } catch (error) {
        result.error = error instanceof Error ? error.message : String(error);
      }
    }
  }
  return results;
}

function operations(
  emulator: RunningEmulator,
  client: Client,
  seeded: ReturnType<typeof seedBulk>,
): Operation[] {
  const org = emulator.org;
  const random = new Random(1234);
  const contacts = Array.from({ length: 2_000 }, () => {
    const id = random.pick(seeded.contactIds);
    const record = org.store.get('Contact', id)!;
    return { id, email: String(record.Email), lastName: String(record.LastName) };
  });
  const prefixes = BULK_COMPANY_WORDS.map((word) => word.slice(0, 3));
  const query = (soql: string) => `${API}/query?q=${encodeURIComponent(soql)}`;
  let soslHits = 0;
  let soslSearches = 0;

  return [
    {
      name: 'baseline: GET /limits',
      run: async () => {
        await client.expect(200, 'GET', `${API}/limits`);
      },
    },
    {
      name: 'get by id (sobjects/Contact/{id})',
      run: async (iteration) => {
        const contact = contacts[iteration % contacts.length];
        const body = (await client.expect(200, 'GET', `${API}/sobjects/Contact/${contact.id}`)) as {
          Id?: string;
        };
        if (body.Id !== contact.id) throw new Error(`retrieve returned ${body.Id}, expected ${contact.id}`);
      },
    },
    {
      name: 'selective SOQL (Email =)',
      run: async (iteration) => {
        const { email } = contacts[iteration % contacts.length];
        const soql = `SELECT Id, Name FROM Contact WHERE Email = ${soqlString(email)}`;
        const body = (await client.expect(200, 'GET', query(soql))) as { totalSize?: number };
        if (!body.totalSize) throw new Error(`no rows for ${soql}`);
      },
    },
    {
      name: "SOQL LIKE 'Abc%' LIMIT 200",
      run: async (iteration) => {
        const prefix = prefixes[iteration % prefixes.length];
        const soql = `SELECT Id, Name FROM Account WHERE Name LIKE '${prefix}%' LIMIT 200`;
        const body = (await client.expect(200, 'GET', query(soql))) as { totalSize?: number };
        if (!body.totalSize) throw new Error(`no rows for ${soql}`);
      },
    },
    {
      name: 'SOSL FIND last name',
      run: async (iteration) => {
        const { lastName } = contacts[iteration % contacts.length];
        const sosl = `FIND {${soslTerm(lastName)}} IN NAME FIELDS RETURNING Contact(Id, Name)`;
        const body = (await client.expect(200, 'GET', `${API}/search?q=${encodeURIComponent(sosl)}`)) as {
          searchRecords?: unknown[];
        };
        const hits = body.searchRecords?.length ?? 0;
        if (hits === 0) throw new Error(`no hits for ${sosl}`);
        soslHits += hits;
        soslSearches++;
      },
      note: () => (soslSearches > 0 ? `avg ${(soslHits / soslSearches).toFixed(1)} hits` : ''),
    },
    {
      name: 'composite: 5 creates',
      run: async (iteration) => {
        // One Account and four Contacts under it, wired by reference as composite clients do.
        const compositeRequest = [
          {
            method: 'POST',
            url: `${API}/sobjects/Account`,
            referenceId: 'account',
            body: { Name: `Benchmark Account ${iteration}`, Industry: 'Technology' },
          },
          ...Array.from({ length: 4 }, (_unused, index) => ({
            method: 'POST',
            url: `${API}/sobjects/Contact`,
            referenceId: `contact${index}`,
            body: {
              AccountId: '@{account.id}',
              FirstName: 'Bench',
              LastName: `Contact ${iteration}-${index}`,
              Email: `bench.${iteration}.${index}@benchmark.example`,
            },
          })),
        ];
        const body = (await client.expect(200, 'POST', `${API}/composite`, {
          allOrNone: true,
          compositeRequest,
        })) as {
          compositeResponse?: Array<{ httpStatusCode: number; body: unknown }>;
        };
        const failed = body.compositeResponse?.find((entry) => entry.httpStatusCode !== 201);
        if (body.compositeResponse?.length !== 5 || failed) {
          throw new Error(`composite subrequest failed: ${JSON.stringify(failed ?? body).slice(0, 300)}`);
        }
      },
    },
  ];
}

export async function runEmulatorBenchmark(args: string[]): Promise<void> {
  const settings = parseSettings(args);
  // 20% Accounts, 60% Contacts, 20% Leads: a typical B2B ratio of people to companies.
  const accounts = Math.round(settings.records * 0.2);
  const leads = Math.round(settings.records * 0.2);
  const contacts = settings.records - accounts - leads;

  const emulator = await startEmulator({
    port: 0,
    host: '127.0.0.1',
    seed: 'none',
    dailyApiRequestLimit: 100_000_000,
  });
  try {
    const heapBefore = process.memoryUsage().heapUsed;
    const seedStarted = performance.now();
    const seeded = seedBulk(emulator.org, { accounts, contacts, leads, seed: 42 });
    const seedMs = performance.now() - seedStarted;
    const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;

    console.log('Forcefield emulator benchmark');
    console.log(
      `seeded ${settings.records.toLocaleString('en-US')} records (${accounts.toLocaleString('en-US')} Account, ` +
        `${contacts.toLocaleString('en-US')} Contact, ${leads.toLocaleString('en-US')} Lead) through createRecord ` +
        `in ${(seedMs / 1000).toFixed(2)} s (${Math.round(settings.records / (seedMs / 1000)).toLocaleString('en-US')} records/s, ` +
        `~${Math.round(heapMb)} MB heap)`,
    );
    console.log(
      `${settings.iterations} timed iterations per operation after ${settings.warmup} warm-up, ` +
        `sequential, keep-alive fetch to ${emulator.url}`,
    );
    console.log(`Node ${process.version} on ${process.platform}/${process.arch}`);

    const session = emulator.org.tokens.issueAccessToken(emulator.org.adminUserId, 'forcefield-demo', [
      'api',
    ]);
    const client = new Client(emulator.url, session.token);
    // The search index is kept current on every write (its cost is in the seed time); time one cold search anyway.
    const firstContact = emulator.org.store.get('Contact', seeded.contactIds[0])!;
    const firstSearch = `FIND {${soslTerm(String(firstContact.LastName))}} IN NAME FIELDS RETURNING Contact(Id)`;
    const indexStarted = performance.now();
    const indexResponse = await client.send('GET', `${API}/search?q=${encodeURIComponent(firstSearch)}`);
    console.log(
      `first SOSL search (cold): ${format(performance.now() - indexStarted)} ms, ` +
        `HTTP ${indexResponse.status}\n`,
    );
    const list = operations(emulator, client, seeded);
    const measured = await measure(list, settings);
    const results = measured.map((result, index) => ({ ...result, note: list[index].note?.() ?? '' }));
    printTable(results);
    printTargets(results);
    await benchmarkBulk(client, settings.records);
  } finally {
    await emulator.stop();
  }
}

/** Bulk API 2.0 throughput targets, in records (or rows) per second. */
const BULK_INGEST_TARGET = 20_000;
const BULK_QUERY_TARGET = 100_000;

/** Polls a job (as clients do, with no fixed sleep) until it leaves the processing states. */
async function finishedJob(
  client: Client,
  path: string,
): Promise<{ state: string; numberRecordsProcessed: number; numberRecordsFailed?: number }> {
  for (;;) {
    const info = (await client.expect(200, 'GET', path)) as { state: string; numberRecordsProcessed: number };
    if (info.state !== 'UploadComplete' && info.state !== 'InProgress') return info;
  }
}

/**
 * Bulk API 2.0 end to end over HTTP: an ingest job of `records` Leads (create, CSV upload, close,
 * poll to JobComplete), then a query job over them (create, poll, every results page by locator).
 */
async function benchmarkBulk(client: Client, records: number): Promise<void> {
  const lines = ['LastName,FirstName,Company,Email'];
  for (let index = 0; index < records; index++) {
    lines.push(`Bulk${index},Bench,"Bulk Bench, Inc.",bulk.${index}@bulk-bench.example`);
  }
  const csv = `${lines.join('\n')}\n`;

  const ingestStarted = performance.now();
  const job = (await client.expect(200, 'POST', `${API}/jobs/ingest`, {
    object: 'Lead',
    operation: 'insert',
  })) as { id: string };
  await client.upload(`${API}/jobs/ingest/${job.id}/batches`, csv);
  await client.expect(200, 'PATCH', `${API}/jobs/ingest/${job.id}`, { state: 'UploadComplete' });
  const ingested = await finishedJob(client, `${API}/jobs/ingest/${job.id}`);
  const ingestSeconds = (performance.now() - ingestStarted) / 1000;
  if (ingested.state !== 'JobComplete' || ingested.numberRecordsFailed) {
    throw new Error(`bulk ingest ended ${ingested.state} with ${ingested.numberRecordsFailed} failures`);
  }

  const queryStarted = performance.now();
  const soql = "SELECT Id, LastName, FirstName, Company, Email FROM Lead WHERE FirstName = 'Bench'";
  const queryJob = (await client.expect(200, 'POST', `${API}/jobs/query`, {
    operation: 'query',
    query: soql,
  })) as { id: string };
  await finishedJob(client, `${API}/jobs/query/${queryJob.id}`);
  let rows = 0;
  let pages = 0;
  let locator = '';
  while (locator !== 'null') {
    const page = await client.download(
      `${API}/jobs/query/${queryJob.id}/results${locator ? `?locator=${locator}` : ''}`,
    );
    rows += Number(page.headers.get('sforce-numberofrecords'));
    locator = page.headers.get('sforce-locator') ?? 'null';
    pages++;
  }
  const querySeconds = (performance.now() - queryStarted) / 1000;
  if (rows !== records) throw new Error(`bulk query returned ${rows} rows, expected ${records}`);

  const ingestRate = records / ingestSeconds;
  const queryRate = rows / querySeconds;
  console.log('');
  console.log('Bulk API 2.0 (over HTTP, create to last byte)');
  console.log(
    `${'operation'.padEnd(36)} ${'records'.padStart(8)} ${'seconds'.padStart(8)} ${'records/s'.padStart(12)}`,
  );
  console.log('-'.repeat(78));
  console.log(
    `${'ingest job: insert Leads from CSV'.padEnd(36)} ${String(records).padStart(8)} ${ingestSeconds.toFixed(2).padStart(8)} ${Math.round(ingestRate).toLocaleString('en-US').padStart(12)}`,
  );
  console.log(
    `${`query job: results CSV (${pages} pages)`.padEnd(36)} ${String(rows).padStart(8)} ${querySeconds.toFixed(2).padStart(8)} ${Math.round(queryRate).toLocaleString('en-US').padStart(12)}`,
  );
  console.log('');
  console.log('bulk targets');
  console.log(
    `  ${ingestRate >= BULK_INGEST_TARGET ? 'PASS' : 'FAIL'}  ingest >= ${BULK_INGEST_TARGET.toLocaleString('en-US')} records/s: ${Math.round(ingestRate).toLocaleString('en-US')}`,
  );
  console.log(
    `  ${queryRate >= BULK_QUERY_TARGET ? 'PASS' : 'FAIL'}  query >= ${BULK_QUERY_TARGET.toLocaleString('en-US')} rows/s: ${Math.round(queryRate).toLocaleString('en-US')}`,
  );
}

function stats(samples: number[]): { p50: number; p99: number; mean: number } {
  const sorted = [...samples].sort((left, right) => left - right);
  const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), mean };
}

function printTable(results: Array<Result & { note: string }>): void {
  const baseline = results[0].error ? undefined : stats(results[0].samples).p50;
  const header = ['operation'.padEnd(36), 'p50 ms', 'p99 ms', 'mean ms', 'p50/baseline'];
  const widths = [36, 8, 8, 8, 13];
  console.log(
    header.map((cell, index) => (index === 0 ? cell : cell.padStart(widths[index] ?? 0))).join(' '),
  );
  console.log('-'.repeat(78));
  for (const result of results) {
    if (result.error) {
      console.log(`${result.name.padEnd(36)} ERROR: ${result.error}`);
      continue;
    }
    const { p50, p99, mean } = stats(result.samples);
    const ratio = baseline ? `${(p50 / baseline).toFixed(1)}x` : 'n/a';
    console.log(
      [
        result.name.padEnd(36),
        format(p50).padStart(8),
        format(p99).padStart(8),
        format(mean).padStart(8),
        ratio.padStart(13),
        result.note ? ` ${result.note}` : '',
      ]
        .join(' ')
        .trimEnd(),
    );
  }
  console.log('');
}

function printTargets(results: Result[]): void {
  console.log('targets');
  for (const target of TARGETS) {
    const result = results.find((candidate) => candidate.name === target.operation);
    if (!result || result.error || result.samples.length === 0) {
      console.log(`  FAIL  ${target.label}: not measured (${result?.error ?? 'missing'})`);
      continue;
    }
    const { p50 } = stats(result.samples);
    console.log(`  ${p50 <= target.p50LimitMs ? 'PASS' : 'FAIL'}  ${target.label}: p50 ${format(p50)} ms`);
  }
}
