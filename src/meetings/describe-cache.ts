/**
 * Salesforce metadata the send form needs, cached in memory per org and Salesforce user: the
 * describes of the send objects (fields, labels, picklists, what the profile may write — two users
 * of one org may have different profiles, hence the user in the key) and the org's active users
 * (ids and names, for "Responsible user": the only record data held, for USERS_FRESH_MS). Nothing
 * else but metadata is cached.
 *
 * A describe is served without any call while fresh (FRESH_MS); after that the next read
 * revalidates it with one `If-Modified-Since` request, which Salesforce answers with 304 when the
 * object's metadata did not change. Concurrent misses for the same entry share one request.
 */
import { z } from 'zod';
import { SalesforceApiError } from '../salesforce/errors.ts';
import type { SalesforceClient } from '../salesforce/salesforce-client.ts';
import type { SalesforceUser } from './form-description.ts';
import { type DescribeSObject, describeSObjectSchema } from './form-fields.ts';
import type { ReadableFields } from './record-rows.ts';
import { LINKABLE_RECORD_TYPES } from './record-types.ts';

export const DESCRIBE_FRESH_MS = 60_000;
export const USERS_FRESH_MS = 10 * 60_000;
/**
 * How long record search and suggestions keep using what a limited profile can read (fetched only
 * after Salesforce refused an object or a field); after that they ask for everything again, so a
 * profile that gained access shows it within this. A profile that lost access heals at once.
 */
export const READABLE_FRESH_MS = 10 * 60_000;
const MAX_ENTRIES = 2_000;

interface DescribeEntry {
  /** null: the profile cannot see the object (describe answered NOT_FOUND). */
  describe: DescribeSObject | null;
  lastModified: string | null;
  checkedAt: number;
}

interface ReadableEntry {
  readable: ReadableFields;
  /** describeGlobal's Last-Modified: a 304 to it means no object's metadata changed since. */
  lastModified: string | null;
  checkedAt: number;
}

interface UsersEntry {
  users: SalesforceUser[];
  fetchedAt: number;
}

const describeGlobalSchema = z.looseObject({
  sobjects: z.array(z.looseObject({ name: z.string(), queryable: z.boolean().optional() })),
});

export interface MetadataScope {
  orgId: string;
  salesforceUserId: string;
}

function keyOf(scope: MetadataScope, name: string): string {
  return `${scope.orgId}\u0000${scope.salesforceUserId}\u0000${name}`;
}

export class DescribeCache {
  readonly #now: () => number;
  readonly #describes = new Map<string, DescribeEntry>();
  readonly #users = new Map<string, UsersEntry>();
  readonly #readable = new Map<string, ReadableEntry>();
  readonly #inFlight = new Map<string, Promise<unknown>>();

  constructor(now: () => number) {
    this.#now = now;
  }

  /** What is cached, fresh or not, without any call (sends validate with it when present). */
  peek(scope: MetadataScope, objectType: string): DescribeSObject | null | undefined {
    return this.#describes.get(keyOf(scope, objectType))?.describe;
  }

  /** `force`: ask without If-Modified-Since (a profile change need not move Last-Modified). */
  async describe(
    client: SalesforceClient,
    scope: MetadataScope,
    objectType: string,
    options: { force?: boolean } = {},
  ): Promise<DescribeSObject | null> {
    const key = keyOf(scope, objectType);
    const cached = this.#describes.get(key);
    if (!options.force && cached && this.#now() - cached.checkedAt < DESCRIBE_FRESH_MS)
      return cached.describe;
    return this.#singleFlight(`describe\u0000${key}\u0000${options.force === true}`, async () => {
      const since = cached?.describe && !options.force ? cached.lastModified : null;
      try {
        const answer = await client.describeIfModifiedSince(objectType, since);
        if (answer.status === 'not-modified' && cached) {
          cached.checkedAt = this.#now();
          return cached.describe;
        }
        if (answer.status === 'not-modified') throw new Error('304 without a cached describe');
        const entry: DescribeEntry = {
          describe: describeSObjectSchema.parse(answer.describe),
          lastModified: answer.lastModified,
          checkedAt: this.#now(),
        };
        this.#store(this.#describes, key, entry);
        return entry.describe;
      } catch (error) {
        if (error instanceof SalesforceApiError && error.salesforceErrorCode === 'NOT_FOUND') {
          this.#store(this.#describes, key, { describe: null, lastModified: null, checkedAt: this.#now() });
          return null;
        }
        throw error;
      }
    });
  }

  /** The org's active users, by name. */
  async activeUsers(client: SalesforceClient, scope: MetadataScope): Promise<SalesforceUser[]> {
    const key = keyOf(scope, 'User');
    const cached = this.#users.get(key);
    if (cached && this.#now() - cached.fetchedAt < USERS_FRESH_MS) return cached.users;
    return this.#singleFlight(`users\u0000${key}`, async () => {
      const result = await client.query<{ Id: string; Name: string }>(
        'SELECT Id, Name FROM User WHERE IsActive = true ORDER BY Name LIMIT 1000',
      );
      const users = result.records.map((user) => ({ Id: String(user.Id), Name: String(user.Name) }));
      this.#store(this.#users, key, { users, fetchedAt: this.#now() });
      return users;
    });
  }

  /** The active users when a fresh list is cached (what the form just offered), without any call. */
  peekActiveUsers(scope: MetadataScope): SalesforceUser[] | undefined {
    const cached = this.#users.get(keyOf(scope, 'User'));
    return cached && this.#now() - cached.fetchedAt < USERS_FRESH_MS ? cached.users : undefined;
  }

  /**
   * The fields of the five linkable objects the connected user's profile can read (objects it cannot
   * read are absent), for record search and suggestions: naming anything else fails a SOSL search
   * as a whole (INVALID_TYPE, INVALID_FIELD). Cold: describeGlobal plus one describe per readable
   * object; then nothing for READABLE_FRESH_MS; then one describeGlobal with If-Modified-Since (a
   * 304 vouches for every object). `revalidate` (Salesforce just refused a field or an object we
   * thought readable) asks everything again unconditionally.
   */
  async readableFields(
    client: SalesforceClient,
    scope: MetadataScope,
    options: { revalidate?: boolean } = {},
  ): Promise<ReadableFields> {
    const key = keyOf(scope, 'readable');
    const cached = this.#readable.get(key);
    const force = options.revalidate === true;
    if (!force && cached && this.#now() - cached.checkedAt < READABLE_FRESH_MS) return cached.readable;
    return this.#singleFlight(`readable\u0000${key}\u0000${force}`, async () => {
      const answer = await client.describeGlobalIfModifiedSince(
        force ? null : (cached?.lastModified ?? null),
      );
      if (answer.status === 'not-modified' && cached) {
        cached.checkedAt = this.#now();
        return cached.readable;
      }
      if (answer.status === 'not-modified') throw new Error('304 without a cached describeGlobal');
      const listed = new Set(
        describeGlobalSchema
          .parse(answer.describe)
          .sobjects.filter((object) => object.queryable !== false)
          .map((object) => object.name),
      );
      const readable: ReadableFields = {};
      const describes = await Promise.all(
        LINKABLE_RECORD_TYPES.filter((type) => listed.has(type)).map(
          async (type) => [type, await this.describe(client, scope, type, { force })] as const,
        ),
      );
      for (const [type, describe] of describes) {
        if (describe) readable[type] = describe.fields.map((field) => field.name);
      }
      this.#store(this.#readable, key, {
        readable,
        lastModified: answer.lastModified,
        checkedAt: this.#now(),
      });
      return readable;
    });
  }

  /**
   * What the profile can read when a fresh view is cached (it was fetched after Salesforce refused
   * a search or a suggestion), without any call; undefined otherwise: search everything first.
   */
  peekReadable(scope: MetadataScope): ReadableFields | undefined {
    const cached = this.#readable.get(keyOf(scope, 'readable'));
    return cached && this.#now() - cached.checkedAt < READABLE_FRESH_MS ? cached.readable : undefined;
  }

  /** Forgets what the profile can read, so the next search or suggestion asks again. */
  forgetReadable(scope: MetadataScope): void {
    this.#readable.delete(keyOf(scope, 'readable'));
  }

  #store<T>(map: Map<string, T>, key: string, value: T): void {
    // Oldest first out: a Map iterates in insertion order, so re-inserting marks an entry recent.
    map.delete(key);
    map.set(key, value);
    if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value as string);
  }

  #singleFlight<T>(key: string, load: () => Promise<T>): Promise<T> {
    const pending = this.#inFlight.get(key);
    if (pending) return pending as Promise<T>;
    const flight = load().finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, flight);
    return flight;
  }
}
