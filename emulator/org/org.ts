import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type Clock, systemClock } from '../core/clock.ts';
import { formatDateTime } from '../core/datetime.ts';
import { IdGenerator } from '../core/ids.ts';
import { buildSchemaDefinitions, type CustomSchema, EMPTY_CUSTOM_SCHEMA } from '../schema/custom-schema.ts';
import { Schema } from '../schema/schema.ts';
import { standardObjects } from '../schema/standard-objects.ts';
import type { StoredRecord } from '../schema/types.ts';
import { Security } from '../security/access.ts';
import { DEFAULT_CUSTOM_PROFILES, type ProfileDefinition } from '../security/profiles.ts';
import type { SharingModels } from '../security/sharing.ts';
import { RecordStore } from '../store/record-store.ts';
import { appTokenPolicies, type RefreshTokenPolicy, TokenStore } from './tokens.ts';

/** A profile's name: a built-in (System Administrator, Standard User, Read Only) or a custom profile's. */
export type ProfileName = string;

export interface ConnectedApp {
  name: string;
  clientId: string;
  clientSecret: string;
  /** Exact callback URLs registered on the app. */
  callbackUrls: string[];
  /** The demo app's convenience: any http://localhost or http://127.0.0.1 URL (any port, any path). */
  allowLoopbackCallbacks: boolean;
  /** The OAuth scopes the app may be granted (Salesforce's "Selected OAuth Scopes"); omitted: all. */
  scopes?: string[];
  /** Salesforce's "Permitted Users"; omitted: `all-self-authorize`. */
  permittedUsers?: 'all-self-authorize' | 'admin-approved-preauthorized';
  /** Profiles whose users are pre-authorized when the app is admin-approved. */
  preAuthorizedProfiles?: string[];
  /** Users pre-authorized one by one (Salesforce does it with a permission set). */
  preAuthorizedUsernames?: string[];
  /** Blocked in "Connected Apps OAuth Usage": no new sessions, existing ones end. */
  blocked?: boolean;
  /** Omitted: valid until revoked. */
  refreshTokenPolicy?: RefreshTokenPolicy;
  /** Overrides the org's session timeout for tokens issued to this app. */
  sessionTimeoutSeconds?: number;
  /**
   * PEM X.509 certificate ("Use digital signatures"): the JWT bearer grant accepts assertions
   * signed (RS256) by its key.
   */
  certificate?: string;
  /** Username of the client-credentials flow's run-as user; omitted: that flow is not enabled. */
  clientCredentialsUser?: string;
}

export interface UserSpec {
  username: string;
  firstName: string;
  lastName: string;
  profile: ProfileName;
  /** Required unless passwordHash is given. */
  password?: string;
  /** A salted hash from passwordHashOf (a saved data file), in place of the password. */
  passwordHash?: string;
  /** Keeps an id from a data file, so records that reference the user still do; default: the next id. */
  id?: string;
  title?: string;
}

export interface OrgOptions {
  orgName?: string;
  clock?: Clock;
  /** Access tokens expire after this many seconds of inactivity (Salesforce's session timeout). */
  sessionTimeoutSeconds?: number;
  dailyApiRequestLimit?: number;
  users?: UserSpec[];
  apps?: ConnectedApp[];
  /** Custom profiles, added to the built-ins and the default custom ones (a same-named default is replaced). */
  profiles?: ProfileDefinition[];
  /** Organization-wide defaults of the sales objects; omitted ones keep the emulator's (Opportunity Private). */
  sharingModels?: SharingModels;
  /** Custom objects and custom fields of standard objects (an org data file's customObjects/customFields). */
  customSchema?: CustomSchema;
}

export const DEMO_PASSWORD = 'demo1234';

export const DEMO_USERS: UserSpec[] = [
  {
    username: 'alice@acme.demo',
    firstName: 'Alice',
    lastName: 'Admin',
    profile: 'System Administrator',
    password: DEMO_PASSWORD,
    title: 'Sales Operations Manager',
  },
  {
    username: 'bob@acme.demo',
    firstName: 'Bob',
    lastName: 'Seller',
    profile: 'Standard User',
    password: DEMO_PASSWORD,
    title: 'Account Executive',
  },
  {
    username: 'carol@acme.demo',
    firstName: 'Carol',
    lastName: 'Reader',
    profile: 'Read Only',
    password: DEMO_PASSWORD,
    title: 'Sales Analyst',
  },
  {
    username: 'dave@acme.demo',
    firstName: 'Dave',
    lastName: 'Contractor',
    profile: 'Sales Contractor',
    password: DEMO_PASSWORD,
    title: 'Contract Sales Representative',
  },
];

export const DEMO_APP: ConnectedApp = {
  name: 'Forcefield Demo',
  clientId: 'forcefield-demo',
  clientSecret: 'forcefield-demo-secret',
  callbackUrls: [],
  allowLoopbackCallbacks: true,
};

function hashPassword(password: string, salt: string): Buffer {
  return createHash('sha256').update(`${salt}:${password}`).digest();
}

/** `sha256$<salt>$<hex digest>`: how passwordHashOf writes a credential and addUser reads it back. */
export const PASSWORD_HASH_PATTERN = /^sha256\$([0-9a-f]{8,64})\$([0-9a-f]{64})$/;

function credentialFrom(spec: UserSpec): { salt: string; hash: Buffer } {
  if (spec.passwordHash !== undefined) {
    const match = PASSWORD_HASH_PATTERN.exec(spec.passwordHash);
    if (!match) throw new Error(`User ${spec.username}: passwordHash is not of the form sha256$<salt>$<hex>`);
    return { salt: match[1], hash: Buffer.from(match[2], 'hex') };
  }
  if (spec.password === undefined)
    throw new Error(`User ${spec.username}: a password or passwordHash is required`);
  const salt = randomBytes(8).toString('hex');
  return { salt, hash: hashPassword(spec.password, salt) };
}

interface Credential {
  salt: string;
  hash: Buffer;
  profile: ProfileName;
}

/**
 * The default daily API request limit, that of a small Enterprise Edition org: 100,000 requests per
 * 24 hours plus 1,000 per Salesforce license, here 10 licenses.
 */
export const DEFAULT_DAILY_API_REQUEST_LIMIT = 110_000;

/** Counts REST requests against the org's daily limit (a rolling UTC day). */
export class ApiUsage {
  max: number;
  #used = 0;
  #day: string;
  readonly #clock: Clock;

  constructor(clock: Clock, max: number) {
    this.#clock = clock;
    this.max = max;
    this.#day = this.#today();
  }

  #today(): string {
    return new Date(this.#clock.now()).toISOString().slice(0, 10);
  }

  get used(): number {
    if (this.#today() !== this.#day) {
      this.#day = this.#today();
      this.#used = 0;
    }
    return this.#used;
  }

  get remaining(): number {
    return Math.max(0, this.max - this.used);
  }

  /** Sets today's count: the admin API's way to play an org that has already spent its calls. */
  setUsed(used: number): void {
    this.#day = this.#today();
    this.#used = used;
  }

  /** Counts one request; false when the limit is already spent. */
  consume(): boolean {
    if (this.used >= this.max) return false;
    this.#used++;
    return true;
  }
}

/**
 * One emulated org: schema, data, users, connected apps, tokens and API usage. Everything the
 * HTTP layer needs hangs off this object; nothing is global.
 */
export class Org {
  readonly id: string;
  /** Mutable only so replaceContentsWith can load other data into this same object. */
  name: string;
  readonly clock: Clock;
  readonly ids = new IdGenerator();
  readonly schema: Schema;
  /** The custom objects and fields as declared, to write them back out with the data. */
  readonly customSchema: CustomSchema;
  readonly store: RecordStore;
  readonly tokens: TokenStore;
  readonly apiUsage: ApiUsage;
  readonly apps = new Map<string, ConnectedApp>();
  /** Profiles, organization-wide defaults and each user's access (permissions, FLS, sharing). */
  readonly security: Security;
  sessionTimeoutSeconds: number;
  /** Set once the server listens: the login host and instance URL at once. */
  baseUrl = 'http://127.0.0.1';
  #schemaModifiedAt: number;
  readonly #credentials = new Map<string, Credential>();
  readonly #usernames = new Map<string, string>();

  /** When the schema last changed (describe's and describeGlobal's Last-Modified, whole seconds). */
  get schemaModifiedAt(): number {
    return this.#schemaModifiedAt;
  }

  /**
   * Records a change of the org's metadata (as an admin editing a field would): Last-Modified moves
   * on, so an `If-Modified-Since` with the previous value gets a full 200 describe again.
   */
  markSchemaModified(): void {
    const now = Math.floor(this.clock.now() / 1000) * 1000;
    this.#schemaModifiedAt = Math.max(now, this.#schemaModifiedAt + 1000);
  }

  constructor(options: OrgOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.name = options.orgName ?? 'Acme Demo';
    this.sessionTimeoutSeconds = options.sessionTimeoutSeconds ?? 7200;
    this.customSchema = options.customSchema ?? EMPTY_CUSTOM_SCHEMA;
    const built = buildSchemaDefinitions(standardObjects, this.customSchema);
    if (built.issues.length > 0) {
      throw new Error(
        `Invalid custom schema: ${built.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
      );
    }
    this.schema = new Schema(built.definitions);
    this.store = new RecordStore(this.schema);
    this.apiUsage = new ApiUsage(this.clock, options.dailyApiRequestLimit ?? DEFAULT_DAILY_API_REQUEST_LIMIT);
    this.#schemaModifiedAt = Math.floor(this.clock.now() / 1000) * 1000;
    this.id = this.ids.next('00D');
    this.tokens = new TokenStore(this.clock, this.id, appTokenPolicies(this));
    // Copies: blocking an app in one org must not touch the shared definition (DEMO_APP) of others.
    for (const app of options.apps ?? [DEMO_APP]) this.apps.set(app.clientId, { ...app });
    const users = options.users ?? DEMO_USERS;
    const firstUserId = this.ids.peek('005');
    this.#insertOrganization(firstUserId);
    const customProfiles = options.profiles ?? [];
    this.security = new Security(
      this.schema,
      this.store,
      {
        profiles: [
          ...DEFAULT_CUSTOM_PROFILES.filter(
            (profile) => !customProfiles.some((own) => own.name === profile.name),
          ),
          ...customProfiles,
        ],
        sharingModels: options.sharingModels,
      },
      (userId) => this.#credentials.get(userId)?.profile,
    );
    this.#insertProfiles(firstUserId);
    for (const user of users) this.addUser(user);
  }

  /** The first System Administrator: owner of seeded data and of system changes. */
  get adminUserId(): string {
    for (const [userId, credential] of this.#credentials)
      if (credential.profile === 'System Administrator') return userId;
    return [...this.#credentials.keys()][0];
  }

  systemFields(userId: string): StoredRecord {
    const now = formatDateTime(this.clock.now());
    return {
      IsDeleted: false,
      CreatedDate: now,
      CreatedById: userId,
      LastModifiedDate: now,
      LastModifiedById: userId,
      SystemModstamp: now,
    };
  }

  #insertOrganization(createdById: string): void {
    this.store.insert('Organization', {
      Id: this.id,
      ...this.systemFields(createdById),
      Name: this.name,
      OrganizationType: 'Enterprise Edition',
      InstanceName: 'EMU1',
      IsSandbox: false,
      TimeZoneSidKey: 'America/Los_Angeles',
      LanguageLocaleKey: 'en_US',
      DefaultLocaleSidKey: 'en_US',
      Country: 'US',
    });
  }

  /** One Profile record per profile, so `SELECT Profile.Name FROM User` reads real records. */
  #insertProfiles(createdById: string): void {
    for (const profile of this.security.profiles.values()) {
      const id = this.ids.next('00e');
      this.security.profileIds.set(profile.name, id);
      this.store.insert('Profile', {
        Id: id,
        ...this.systemFields(createdById),
        Name: profile.name,
        UserType: 'Standard',
        Description: profile.description,
      });
    }
  }

  addUser(spec: UserSpec): string {
    const profile = this.security.profile(spec.profile);
    if (!profile) throw new Error(`User ${spec.username}: no profile '${spec.profile}'`);
    const id = spec.id ?? this.ids.next('005');
    this.ids.observe(id);
    this.#credentials.set(id, { ...credentialFrom(spec), profile: profile.name });
    this.#usernames.set(spec.username.toLowerCase(), id);
    this.store.insert('User', {
      Id: id,
      ...this.systemFields(id),
      Username: spec.username,
      FirstName: spec.firstName,
      LastName: spec.lastName,
      Name: `${spec.firstName} ${spec.lastName}`,
      Email: spec.username,
      Alias: (spec.firstName.slice(0, 1) + spec.lastName.slice(0, 4)).toLowerCase(),
      IsActive: true,
      ProfileId: this.security.profileIds.get(profile.name)!,
      Title: spec.title ?? null,
      CompanyName: this.name,
      UserType: 'Standard',
      TimeZoneSidKey: 'America/Los_Angeles',
      LocaleSidKey: 'en_US',
      LanguageLocaleKey: 'en_US',
      EmailEncodingKey: 'UTF-8',
    });
    return id;
  }

  /** The user id for valid, active credentials; undefined otherwise. */
  authenticate(username: string, password: string): string | undefined {
    const userId = this.#usernames.get(username.trim().toLowerCase());
    if (!userId) return undefined;
    const credential = this.#credentials.get(userId)!;
    const matches = timingSafeEqual(hashPassword(password, credential.salt), credential.hash);
    return matches && this.isActive(userId) ? userId : undefined;
  }

  user(userId: string): StoredRecord | undefined {
    return this.store.get('User', userId);
  }

  userIdByUsername(username: string): string | undefined {
    return this.#usernames.get(username.trim().toLowerCase());
  }

  isActive(userId: string): boolean {
    return this.user(userId)?.IsActive === true;
  }

  /**
   * Activates or deactivates a user. Deactivation ends the user's sessions and grants at once, as
   * on Salesforce: their access tokens fail and a refresh answers invalid_grant.
   */
  setUserActive(userId: string, active: boolean): void {
    if (!this.user(userId)) throw new Error(`No user ${userId}`);
    const stamp = formatDateTime(this.clock.now());
    this.store.update('User', userId, { IsActive: active, LastModifiedDate: stamp, SystemModstamp: stamp });
    if (!active) this.tokens.revokeUser(userId);
  }

  /** Blocks or unblocks a connected app; blocking ends its sessions and grants at once, as on Salesforce. */
  setAppBlocked(clientId: string, blocked: boolean): void {
    const app = this.apps.get(clientId);
    if (!app) throw new Error(`No connected app ${clientId}`);
    app.blocked = blocked;
    if (blocked) this.tokens.revokeApp(clientId);
  }

  /** The user's salted password hash, for saving the org without its plain passwords. */
  passwordHashOf(userId: string): string | undefined {
    const credential = this.#credentials.get(userId);
    return credential && `sha256$${credential.salt}$${credential.hash.toString('hex')}`;
  }

  /**
   * Takes over another org's name, settings, connected apps, users and records, in place: the
   * search index, cursors and tokens keep their reference to this object and its store. Sessions
   * of users who are gone or inactive end; ids never go backwards, so none is handed out twice.
   */
  replaceContentsWith(source: Org): void {
    this.name = source.name;
    this.sessionTimeoutSeconds = source.sessionTimeoutSeconds;
    this.apiUsage.max = source.apiUsage.max;
    this.apps.clear();
    for (const [clientId, app] of source.apps) this.apps.set(clientId, app);
    this.#credentials.clear();
    for (const [userId, credential] of source.#credentials) this.#credentials.set(userId, credential);
    this.security.replaceWith(source.security);
    this.#usernames.clear();
    for (const [username, userId] of source.#usernames) this.#usernames.set(username, userId);
    const previousUsers = [...this.store.table('User').records.values()];
    this.store.replaceAll(
      new Map(
        this.schema.objects.map((object) => [object.name, source.store.table(object.name).records.values()]),
      ),
    );
    for (const object of this.schema.objects)
      for (const id of this.store.table(object.name).records.keys()) this.ids.observe(id);
    // A session belongs to a person: it ends if the user is gone, inactive, or now someone else.
    for (const previous of previousUsers) {
      const userId = previous.Id as string;
      if (!this.isActive(userId) || this.user(userId)?.Username !== previous.Username)
        this.tokens.revokeUser(userId);
    }
  }

  profileOf(userId: string): ProfileName | undefined {
    return this.#credentials.get(userId)?.profile;
  }

  /** The identity URL Salesforce returns as `id`: `{base}/id/{orgId}/{userId}`. */
  identityUrl(userId: string): string {
    return `${this.baseUrl}/id/${this.id}/${userId}`;
  }
}
