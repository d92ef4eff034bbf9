import jsforce from 'jsforce';
import { z } from 'zod';
import type { AuditDecision, AuditLog } from '../audit/audit-log.ts';
import { SalesforceApiError, SalesforceConnectionError, SalesforceUnreachableError } from './errors.ts';
import { fetchUserInfo, type UserInfo } from './oauth.ts';
import type { RefreshTrigger, SalesforceSessions, SessionTokens } from './sessions.ts';

/** A describe (or describeGlobal) asked with `If-Modified-Since`. */
export type ConditionalDescribe =
  | { status: 'not-modified' }
  | { status: 'ok'; describe: Record<string, unknown>; lastModified: string | null };

export type SalesforceRecord = Record<string, unknown>;

export interface QueryResult<T extends SalesforceRecord = SalesforceRecord> {
  totalSize: number;
  done: boolean;
  records: T[];
  nextRecordsUrl?: string;
}

export interface SaveResult {
  id: string;
  success: boolean;
}

export interface CompositeSubrequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Relative to the instance, e.g. `/services/data/v66.0/sobjects/ContentNote`. */
  url: string;
  referenceId: string;
  body?: SalesforceRecord;
}

export interface CompositeResponse {
  compositeResponse: Array<{ body: unknown; httpStatusCode: number; referenceId: string }>;
}

/** What a write tells the audit log about itself (never field values). */
export interface WriteTarget {
  objectType: string;
  recordIds?: string[];
}

const saveResultSchema = z.object({ id: z.string().min(15), success: z.boolean() });
const queryResultSchema = z.object({
  totalSize: z.number(),
  done: z.boolean(),
  records: z.array(z.record(z.string(), z.unknown())),
  nextRecordsUrl: z.string().optional(),
});
const searchResultSchema = z.object({ searchRecords: z.array(z.record(z.string(), z.unknown())) });
const limitsSchema = z.object({
  DailyApiRequests: z.object({ Max: z.number(), Remaining: z.number() }),
});
const versionsSchema = z.array(z.object({ version: z.string() }));
const compositeSchema = z.object({
  compositeResponse: z.array(
    z.object({ body: z.unknown(), httpStatusCode: z.number(), referenceId: z.string() }),
  ),
});

/** jsforce's HttpApiError, as far as we read it. */
interface JsforceApiError {
  errorCode: string;
  message: string;
  data?: unknown;
}

function isJsforceApiError(error: unknown): error is JsforceApiError {
  return error instanceof Error && typeof (error as { errorCode?: unknown }).errorCode === 'string';
}

function isInvalidSession(error: unknown): boolean {
  return (
    error instanceof InvalidSessionSignal ||
    (isJsforceApiError(error) &&
      (error.errorCode === 'INVALID_SESSION_ID' || error.errorCode === 'ERROR_HTTP_401'))
  );
}

/** Thrown by our own (non-jsforce) calls when Salesforce refuses the access token. */
class InvalidSessionSignal extends Error {}

function translateError(error: unknown, connectionId: string): Error {
  if (error instanceof SalesforceConnectionError || error instanceof SalesforceApiError) return error;
  if (error instanceof SalesforceUnreachableError) {
    return new SalesforceConnectionError('salesforce_unreachable', connectionId, error.message);
  }
  if (isJsforceApiError(error)) {
    const data = error.data as { fields?: unknown } | undefined;
    const fields = Array.isArray(data?.fields)
      ? data.fields.filter((field) => typeof field === 'string')
      : [];
    const upstreamStatus = /^ERROR_HTTP_(\d{3})$/.exec(error.errorCode)?.[1];
    return new SalesforceApiError({
      salesforceErrorCode: error.errorCode,
      message: error.message,
      fields,
      upstreamStatus: upstreamStatus ? Number(upstreamStatus) : undefined,
    });
  }
  if (error instanceof z.ZodError) {
    return new SalesforceConnectionError(
      'salesforce_unreachable',
      connectionId,
      'Salesforce answered with a response we did not expect.',
    );
  }
  return new SalesforceConnectionError(
    'salesforce_unreachable',
    connectionId,
    `Salesforce could not be reached (${error instanceof Error ? error.message : String(error)}).`,
  );
}

export interface SalesforceClientOptions {
  connectionId: string;
  apiVersion: string;
  tokens: SessionTokens;
  sessions: SalesforceSessions;
  audit: AuditLog;
  /** Who is using the client: the audit trail of refreshes names them. */
  trigger: RefreshTrigger;
}

/**
 * The one way the service talks to a Salesforce org's API. A client lives for one request: it
 * renews an expired session at most once (through SalesforceSessions, which makes one token request
 * per expiry across callers), and every write takes an AuditDecision, so no code path can change
 * Salesforce data without saying how it is audited.
 *
 * The jsforce Connection is built without a refresh token or OAuth client: jsforce then cannot
 * refresh on its own (its refresh retries a failing refresh without end); it reports
 * INVALID_SESSION_ID and we decide.
 */
export class SalesforceClient {
  readonly connectionId: string;
  readonly apiVersion: string;
  readonly #options: SalesforceClientOptions;
  #tokens: SessionTokens;
  #connection: jsforce.Connection;
  #refreshed: Promise<void> | undefined;

  constructor(options: SalesforceClientOptions) {
    this.#options = options;
    this.connectionId = options.connectionId;
    this.apiVersion = options.apiVersion;
    this.#tokens = options.tokens;
    this.#connection = this.#connect(options.tokens);
  }

  #connect(tokens: SessionTokens): jsforce.Connection {
    return new jsforce.Connection({
      instanceUrl: tokens.instanceUrl,
      accessToken: tokens.accessToken,
      version: this.apiVersion,
    });
  }

  /** The tokens' version this client holds (tests and diagnostics). */
  get tokenVersion(): number {
    return this.#tokens.tokenVersion;
  }

  /**
   * Runs one Salesforce call; on an expired session, renews it once for this client (concurrent
   * calls of the client share that renewal) and retries once. Never loops.
   */
  async #call<T>(
    operation: (connection: jsforce.Connection, tokens: SessionTokens) => Promise<T>,
  ): Promise<T> {
    const { sessions } = this.#options;
    let retried = false;
    for (;;) {
      const tokens = this.#tokens;
      try {
        const result = await operation(this.#connection, tokens);
        await sessions.recordUsage(this.connectionId, this.#apiUsage());
        return result;
      } catch (error) {
        if (!isInvalidSession(error)) throw translateError(error, this.connectionId);
        if (retried) {
          throw new SalesforceConnectionError(
            'session_rejected',
            this.connectionId,
            'Salesforce refused the renewed session too. Run the connection check, or reconnect.',
          );
        }
        retried = true;
        await this.#renew(tokens.tokenVersion);
      }
    }
  }

  async #renew(staleVersion: number): Promise<void> {
    if (this.#tokens.tokenVersion !== staleVersion) return;
    if (!this.#refreshed) {
      this.#refreshed = this.#options.sessions
        .refresh(this.connectionId, staleVersion, this.#options.trigger)
        .then((tokens) => {
          this.#tokens = tokens;
          this.#connection = this.#connect(tokens);
        });
    }
    await this.#refreshed;
  }

  #apiUsage(): { used: number; max: number } | undefined {
    const usage = this.#connection.limitInfo?.apiUsage;
    return usage ? { used: usage.used, max: usage.limit } : undefined;
  }

  /**
   * `timeoutMs`: the whole call (a session renewal's retry included) gives up after this long; the
   * HTTP request is aborted and the call fails as unreachable (the outcome of a write is unknown).
   */
  async #request(method: string, url: string, body?: unknown, timeoutMs?: number): Promise<unknown> {
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    return this.#call((connection) =>
      connection.request(
        {
          method: method as 'GET',
          url,
          ...(body === undefined
            ? {}
            : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
        },
        deadline === undefined ? {} : { timeout: Math.max(1, deadline - Date.now()) },
      ),
    );
  }

  /** Runs a SOQL query (the caller escapes any values it puts in). */
  async query<T extends SalesforceRecord = SalesforceRecord>(soql: string): Promise<QueryResult<T>> {
    const body = await this.#request('GET', `/query?q=${encodeURIComponent(soql)}`);
    return queryResultSchema.parse(body) as QueryResult<T>;
  }

  /** The next batch of a query, from its `nextRecordsUrl` (a path Salesforce gave us, never built from input). */
  async queryMore<T extends SalesforceRecord = SalesforceRecord>(
    nextRecordsUrl: string,
  ): Promise<QueryResult<T>> {
    if (!/^\/services\/data\/v\d+\.\d\/query\/[\w-]+$/.test(nextRecordsUrl)) {
      throw new TypeError('queryMore: not a Salesforce query locator path');
    }
    return queryResultSchema.parse(await this.#request('GET', nextRecordsUrl)) as QueryResult<T>;
  }

  async retrieve(objectType: string, id: string, fields?: string[]): Promise<SalesforceRecord> {
    const query = fields && fields.length > 0 ? `?fields=${encodeURIComponent(fields.join(','))}` : '';
    return z
      .record(z.string(), z.unknown())
      .parse(
        await this.#request(
          'GET',
          `/sobjects/${encodeURIComponent(objectType)}/${encodeURIComponent(id)}${query}`,
        ),
      );
  }

  async describe(objectType: string): Promise<Record<string, unknown>> {
    return z
      .record(z.string(), z.unknown())
      .parse(await this.#request('GET', `/sobjects/${encodeURIComponent(objectType)}/describe`));
  }

  async limits(): Promise<{ dailyApiRequests: { max: number; remaining: number } }> {
    const body = limitsSchema.parse(await this.#request('GET', '/limits'));
    return {
      dailyApiRequests: { max: body.DailyApiRequests.Max, remaining: body.DailyApiRequests.Remaining },
    };
  }

  /** The API versions the org serves. */
  async apiVersions(): Promise<string[]> {
    const body = versionsSchema.parse(await this.#request('GET', '/services/data/'));
    return body.map((entry) => entry.version);
  }

  /** Who the connection acts as (OpenID userinfo). */
  async userInfo(): Promise<UserInfo> {
    return this.#call(async (_connection, tokens) => {
      const result = await fetchUserInfo(this.#options.sessions.fetch, tokens);
      if (result.status === 'invalid_session') throw new InvalidSessionSignal('invalid session');
      return result.userInfo;
    });
  }

  async create(
    objectType: string,
    record: SalesforceRecord,
    decision: AuditDecision,
    options: { timeoutMs?: number } = {},
  ): Promise<SaveResult> {
    return this.#write(decision, { objectType }, async () => {
      const result = saveResultSchema.parse(
        await this.#request('POST', `/sobjects/${encodeURIComponent(objectType)}`, record, options.timeoutMs),
      );
      return { result, recordIds: [result.id] };
    });
  }

  async update(
    objectType: string,
    id: string,
    fields: SalesforceRecord,
    decision: AuditDecision,
  ): Promise<void> {
    await this.#write(decision, { objectType, recordIds: [id] }, async () => {
      await this.#request(
        'PATCH',
        `/sobjects/${encodeURIComponent(objectType)}/${encodeURIComponent(id)}`,
        fields,
      );
      return { result: undefined, recordIds: [id] };
    });
  }

  async delete(objectType: string, id: string, decision: AuditDecision): Promise<void> {
    await this.#write(decision, { objectType, recordIds: [id] }, async () => {
      await this.#request('DELETE', `/sobjects/${encodeURIComponent(objectType)}/${encodeURIComponent(id)}`);
      return { result: undefined, recordIds: [id] };
    });
  }

  /** A composite request (one API call for up to 25 subrequests), e.g. a ContentNote and its link. */
  async composite(
    request: { allOrNone: boolean; compositeRequest: CompositeSubrequest[] },
    decision: AuditDecision,
    target: WriteTarget,
    options: { timeoutMs?: number } = {},
  ): Promise<CompositeResponse> {
    return this.#write(decision, target, async () => {
      const result = compositeSchema.parse(
        await this.#request('POST', '/composite', request, options.timeoutMs),
      );
      const created = result.compositeResponse
        .map((entry) => (entry.body as { id?: unknown } | null)?.id)
        .filter((id): id is string => typeof id === 'string');
      return { result, recordIds: [...(target.recordIds ?? []), ...created] };
    });
  }

  // -------------------------------------------------------------------------------------------
  // Reads of the meeting send flow (src/meetings): SOSL, queryAll, read-only composite, and a
  // conditional describe. None of them changes Salesforce data, so none takes an AuditDecision.
  // -------------------------------------------------------------------------------------------

  /** Runs a SOSL search (the caller escapes the terms); `searchRecords` carry `attributes.type`. */
  async search(sosl: string): Promise<{ searchRecords: SalesforceRecord[] }> {
    return searchResultSchema.parse(await this.#request('GET', `/search?q=${encodeURIComponent(sosl)}`));
  }

  /** Like query, but deleted (recycle bin) records are included. */
  async queryAll<T extends SalesforceRecord = SalesforceRecord>(soql: string): Promise<QueryResult<T>> {
    const body = await this.#request('GET', `/queryAll?q=${encodeURIComponent(soql)}`);
    return queryResultSchema.parse(body) as QueryResult<T>;
  }

  /** A composite of GET subrequests only (one API call for up to 25 reads). */
  async compositeRead(request: {
    allOrNone: boolean;
    compositeRequest: CompositeSubrequest[];
  }): Promise<CompositeResponse> {
    if (request.compositeRequest.some((subrequest) => subrequest.method !== 'GET')) {
      throw new TypeError('compositeRead takes GET subrequests only; writes go through composite()');
    }
    return compositeSchema.parse(await this.#request('POST', '/composite', request));
  }

  /**
   * describe with `If-Modified-Since`: `not-modified` (304) when the object's metadata did not
   * change since `since` (a `Last-Modified` value from an earlier answer), else the describe and its
   * `Last-Modified`. jsforce hides 304s, so this one call uses fetch directly.
   */
  async describeIfModifiedSince(objectType: string, since: string | null): Promise<ConditionalDescribe> {
    return this.#conditionalDescribe(`/sobjects/${encodeURIComponent(objectType)}/describe`, since);
  }

  /** describeGlobal (the objects the caller's profile can read) with `If-Modified-Since`, as above. */
  async describeGlobalIfModifiedSince(since: string | null): Promise<ConditionalDescribe> {
    return this.#conditionalDescribe('/sobjects', since);
  }

  async #conditionalDescribe(path: string, since: string | null): Promise<ConditionalDescribe> {
    return this.#call(async (_connection, tokens) => {
      const url = `${tokens.instanceUrl.replace(/\/$/, '')}/services/data/v${this.apiVersion}${path}`;
      let response: Response;
      try {
        response = await this.#options.sessions.fetch(url, {
          headers: {
            Authorization: `Bearer ${tokens.accessToken}`,
            Accept: 'application/json',
            ...(since ? { 'If-Modified-Since': since } : {}),
          },
        });
      } catch (error) {
        throw new SalesforceUnreachableError(error instanceof Error ? error.message : String(error), {
          cause: error,
        });
      }
      if (response.status === 304) {
        await response.body?.cancel();
        return { status: 'not-modified' as const };
      }
      if (response.status === 401) {
        await response.body?.cancel();
        throw new InvalidSessionSignal('invalid session');
      }
      const text = await response.text();
      let body: unknown;
      try {
        body = text === '' ? null : JSON.parse(text);
      } catch {
        throw new SalesforceUnreachableError(
          `Salesforce answered ${response.status} with a body that is not JSON.`,
        );
      }
      if (!response.ok) {
        const first = Array.isArray(body)
          ? (body[0] as Partial<JsforceApiError> & { fields?: unknown })
          : undefined;
        throw new SalesforceApiError({
          salesforceErrorCode:
            typeof first?.errorCode === 'string' ? first.errorCode : `ERROR_HTTP_${response.status}`,
          message: typeof first?.message === 'string' ? first.message : `HTTP ${response.status}`,
          upstreamStatus: response.status,
        });
      }
      return {
        status: 'ok' as const,
        describe: z.record(z.string(), z.unknown()).parse(body),
        lastModified: response.headers.get('last-modified'),
      };
    });
  }

  /**
   * The content of a blob field (e.g. ContentNote.Content), whose retrieve answers a path such as
   * `/services/data/v66.0/sobjects/ContentNote/069…/Content` rather than the bytes.
   */
  async readBlobText(path: string): Promise<string> {
    if (!path.startsWith('/services/data/')) throw new TypeError('readBlobText takes a /services/data/ path');
    return this.#call(async (_connection, tokens) => {
      let response: Response;
      try {
        response = await this.#options.sessions.fetch(`${tokens.instanceUrl.replace(/\/$/, '')}${path}`, {
          headers: { Authorization: `Bearer ${tokens.accessToken}` },
        });
      } catch (error) {
        throw new SalesforceUnreachableError(error instanceof Error ? error.message : String(error), {
          cause: error,
        });
      }
      if (response.status === 401) {
        await response.body?.cancel();
        throw new InvalidSessionSignal('invalid session');
      }
      const text = await response.text();
      if (!response.ok) {
        throw new SalesforceApiError({
          salesforceErrorCode: `ERROR_HTTP_${response.status}`,
          message: `HTTP ${response.status}`,
          upstreamStatus: response.status,
        });
      }
      return text;
    });
  }

  async #write<T>(
    decision: AuditDecision,
    target: WriteTarget,
    perform: () => Promise<{ result: T; recordIds: string[] }>,
  ): Promise<T> {
    try {
      const { result, recordIds } = await perform();
      await this.#auditWrite(decision, target.objectType, recordIds, 'success', null);
      return result;
    } catch (error) {
      const code =
        error instanceof SalesforceApiError
          ? error.salesforceErrorCode
          : error instanceof SalesforceConnectionError
            ? error.code
            : 'error';
      await this.#auditWrite(decision, target.objectType, target.recordIds ?? [], 'failure', code);
      throw error;
    }
  }

  async #auditWrite(
    decision: AuditDecision,
    objectType: string,
    recordIds: string[],
    outcome: 'success' | 'failure',
    errorCode: string | null,
  ): Promise<void> {
    if (decision.kind === 'audited-by-caller') return;
    await this.#options.audit.record({
      actorUserId: decision.actorUserId,
      connectionId: this.connectionId,
      surface: decision.surface,
      action: decision.action,
      objectType,
      recordIds,
      outcome,
      errorCode,
    });
  }
}
