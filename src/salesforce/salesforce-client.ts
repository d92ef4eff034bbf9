import jsforce from 'jsforce';
import { z } from 'zod';
import type { AuditDecision, AuditLog } from '../audit/audit-log.ts';
import { callRouteOf } from './call-route.ts';
import { SalesforceApiError, SalesforceConnectionError } from './errors.ts';
import { limitedCall } from './limited-call.ts';
import { fetchUserInfo, type UserInfo } from './oauth.ts';
import { rawSalesforceGet, readBlobBody, readConditionalDescribe } from './raw-request.ts';
import { preconditionHeaders, recordVersionOf } from './record-version.ts';
import {
  type CompositeResponse,
  type CompositeSubrequest,
  type ConditionalDescribe,
  compositeSchema,
  limitsSchema,
  type QueryResult,
  queryResultSchema,
  type RecordVersion,
  type SalesforceRecord,
  type SaveResult,
  saveResultSchema,
  searchResultSchema,
  versionsSchema,
  type WriteTarget,
} from './salesforce-types.ts';
import { sendRequest } from './send-request.ts';
import type { RefreshTrigger, SalesforceSessions, SessionTokens } from './sessions.ts';
import { InvalidSessionSignal, isInvalidSession, translateError } from './translate-error.ts';

/** A JSON object (a record, a describe): built once, not per call (building a zod schema costs). */
const objectSchema = z.record(z.string(), z.unknown());

export type {
  CompositeResponse,
  CompositeSubrequest,
  ConditionalDescribe,
  QueryResult,
  RecordVersion,
  SalesforceRecord,
  SaveResult,
  WriteTarget,
} from './salesforce-types.ts';

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
    route: string,
    operation: (connection: jsforce.Connection, tokens: SessionTokens) => Promise<T>,
  ): Promise<T> {
    const { sessions } = this.#options;
    const { callLimits: limits, metrics } = sessions;
    let retried = false;
    for (;;) {
      const tokens = this.#tokens;
      const connection = this.#connection;
      try {
        const run = () => operation(connection, tokens);
        const result = await limitedCall({ limits, metrics, connectionId: this.connectionId, route, run });
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
   * `extra.headers` go with the request; `extra.seen` receives the answer's headers.
   */
  async #request(
    method: string,
    url: string,
    body?: unknown,
    timeoutMs?: number,
    extra: { headers?: Record<string, string>; seen?: (headers: Record<string, string>) => void } = {},
  ): Promise<unknown> {
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    return this.#call(callRouteOf(method, url), async (connection) => {
      const answer = await sendRequest(connection, { method, url, body, deadline, headers: extra.headers });
      extra.seen?.(answer.headers);
      return answer.body;
    });
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
    if (!/^\/services\/data\/v\d+\.\d\/query(?:All)?\/[\w-]+$/.test(nextRecordsUrl)) {
      throw new TypeError('queryMore: not a Salesforce query locator path');
    }
    return queryResultSchema.parse(await this.#request('GET', nextRecordsUrl)) as QueryResult<T>;
  }

  async retrieve(objectType: string, id: string, fields?: string[]): Promise<SalesforceRecord> {
    return (await this.retrieveWithVersion(objectType, id, fields)).record;
  }

  /** A record and its version (record-version.ts), for a later conditional write. */
  async retrieveWithVersion(objectType: string, id: string, fields?: string[]) {
    const query = fields && fields.length > 0 ? `?fields=${encodeURIComponent(fields.join(','))}` : '';
    let headers: Record<string, string> = {};
    const path = `/sobjects/${encodeURIComponent(objectType)}/${encodeURIComponent(id)}${query}`;
    const body = await this.#request('GET', path, undefined, undefined, { seen: (seen) => (headers = seen) });
    const record = objectSchema.parse(body);
    return { record, version: recordVersionOf(headers, record) };
  }

  async describe(objectType: string): Promise<Record<string, unknown>> {
    return objectSchema.parse(
      await this.#request('GET', `/sobjects/${encodeURIComponent(objectType)}/describe`),
    );
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
    return this.#call('GET /userinfo', async (_connection, tokens) => {
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

  /** With `precondition` (RecordVersion), written only if the record is still that version; else 412. */
  async update(
    objectType: string,
    id: string,
    fields: SalesforceRecord,
    decision: AuditDecision,
    options: { precondition?: RecordVersion } = {},
  ): Promise<void> {
    await this.#writeRecord('PATCH', { objectType, id, fields, ...options }, decision);
  }

  async delete(
    objectType: string,
    id: string,
    decision: AuditDecision,
    options: { precondition?: RecordVersion } = {},
  ): Promise<void> {
    await this.#writeRecord('DELETE', { objectType, id, ...options }, decision);
  }

  async #writeRecord(
    method: 'PATCH' | 'DELETE',
    target: { objectType: string; id: string; fields?: SalesforceRecord; precondition?: RecordVersion },
    decision: AuditDecision,
  ): Promise<void> {
    const { objectType, id } = target;
    await this.#write(decision, { objectType, recordIds: [id] }, async () => {
      const path = `/sobjects/${encodeURIComponent(objectType)}/${encodeURIComponent(id)}`;
      const headers = preconditionHeaders(target.precondition);
      await this.#request(method, path, target.fields, undefined, { headers });
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
    return this.#call(callRouteOf('GET', path), async (_connection, tokens) => {
      const response = await rawSalesforceGet({
        fetch: this.#options.sessions.fetch,
        url: `${tokens.instanceUrl.replace(/\/$/, '')}/services/data/v${this.apiVersion}${path}`,
        accessToken: tokens.accessToken,
        headers: { Accept: 'application/json', ...(since ? { 'If-Modified-Since': since } : {}) },
      });
      return readConditionalDescribe(response);
    });
  }

  /**
   * The content of a blob field (e.g. ContentNote.Content), whose retrieve answers a path such as
   * `/services/data/v66.0/sobjects/ContentNote/069…/Content` rather than the bytes.
   */
  async readBlobText(path: string): Promise<string> {
    if (!path.startsWith('/services/data/')) throw new TypeError('readBlobText takes a /services/data/ path');
    return this.#call(callRouteOf('GET', path), async (_connection, tokens) => {
      const response = await rawSalesforceGet({
        fetch: this.#options.sessions.fetch,
        url: `${tokens.instanceUrl.replace(/\/$/, '')}${path}`,
        accessToken: tokens.accessToken,
      });
      return readBlobBody(response);
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
