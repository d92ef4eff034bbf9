import type { Insertable, Kysely } from 'kysely';
import { z } from 'zod';
import { newId } from '../core/ids.ts';
import type { Store } from '../store/database.ts';
import { preparedInsert } from '../store/prepared-query.ts';
import type { AuditEventsTable, AuditOutcome, AuditSurface, Database } from '../store/schema.ts';
import type { AuditAction } from './audit-actions.ts';

export interface AuditEventInput {
  actorUserId: string | null;
  connectionId?: string | null;
  surface: AuditSurface;
  /** What happened, as `area.verb` (the list: audit-actions.ts). */
  action: AuditAction;
  objectType?: string | null;
  recordIds?: string[];
  outcome: AuditOutcome;
  errorCode?: string | null;
  /** Non-sensitive facts only: no Salesforce field values, no tokens. Checked below. */
  detail?: Record<string, string | number | boolean | null>;
}

export interface AuditEvent {
  id: string;
  at: string;
  actorUserId: string | null;
  connectionId: string | null;
  surface: AuditSurface;
  action: string;
  objectType: string | null;
  recordIds: string[];
  outcome: AuditOutcome;
  errorCode: string | null;
  detail: Record<string, unknown>;
}

/**
 * Every Salesforce write says how it is audited, by type: either the adapter records the write
 * itself (`audit`, with the action it records), or the caller records it under a named action with
 * its own detail (`audited-by-caller`: a meeting send records `meeting.send`, an agent tool call
 * `agent.tool_call`). Both name an action of the one list, so a write with no audit does not compile.
 */
export type AuditDecision =
  | { kind: 'audit'; actorUserId: string | null; surface: AuditSurface; action: AuditAction }
  | { kind: 'audited-by-caller'; action: AuditAction };

const FORBIDDEN_DETAIL_KEYS = /token|secret|password|authorization|cookie|verifier|code$|value|body|content/i;

/** Refuses detail keys that could carry secrets or Salesforce data: the audit log must never hold either. */
export function assertSafeDetail(detail: Record<string, unknown>): void {
  for (const key of Object.keys(detail)) {
    if (FORBIDDEN_DETAIL_KEYS.test(key))
      throw new Error(`Audit detail key '${key}' may carry sensitive data`);
  }
}

// Written on every audited action (each send): compiled once, not by Kysely on every write.
const insertEvent = preparedInsert<'audit_events', Insertable<AuditEventsTable>>('audit_events', [
  'id',
  'at',
  'actor_user_id',
  'connection_id',
  'surface',
  'action',
  'object_type',
  'record_ids',
  'outcome',
  'error_code',
  'detail',
  'agent_id',
]);

export class AuditLog {
  readonly #store: Store;
  readonly #now: () => number;
  readonly #onRecorded: ((action: AuditAction, outcome: AuditOutcome) => void) | undefined;

  /** `onRecorded` hears of every event written (the metrics count sends, refreshes and approvals). */
  constructor(
    store: Store,
    now: () => number = Date.now,
    onRecorded?: (action: AuditAction, outcome: AuditOutcome) => void,
  ) {
    this.#store = store;
    this.#now = now;
    this.#onRecorded = onRecorded;
  }

  /**
   * Writes one event. `executor`: a transaction to write it in, so it commits with the change it
   * records (one commit instead of two); by default the store itself. The metrics hear of it at once
   * (use `recordWithin` to tell them only after the caller's commit).
   */
  async record(event: AuditEventInput, executor: Kysely<Database> = this.#store.db): Promise<AuditEvent> {
    const written = await this.recordWithin(executor, event);
    written.committed();
    return written.event;
  }

  /**
   * Writes the event through `executor` — the caller's transaction, so the row commits with the
   * change it records (one commit instead of two). `onRecorded` hears of it only when the caller
   * says the transaction committed.
   */
  async recordWithin(
    executor: Kysely<Database>,
    event: AuditEventInput,
  ): Promise<{ event: AuditEvent; committed: () => void }> {
    const detail = event.detail ?? {};
    assertSafeDetail(detail);
    const now = this.#now();
    const recordIds = event.recordIds ?? [];
    const row = {
      id: newId(now),
      at: new Date(now).toISOString(),
      actor_user_id: event.actorUserId,
      connection_id: event.connectionId ?? null,
      surface: event.surface,
      action: event.action,
      object_type: event.objectType ?? null,
      record_ids: JSON.stringify(recordIds),
      outcome: event.outcome,
      error_code: event.errorCode ?? null,
      detail: JSON.stringify(detail),
      agent_id: typeof detail.agentId === 'string' ? detail.agentId : null,
    };
    await insertEvent.execute(executor, row);
    return {
      // What was written, without parsing back the JSON just made from it.
      event: eventOf(row, [...recordIds], { ...detail }),
      committed: () => this.#onRecorded?.(event.action, event.outcome),
    };
  }

  /** Newest first, filtered, paged by an opaque cursor (the last id seen). */
  async query(filters: AuditQuery): Promise<{ events: AuditEvent[]; nextCursor: string | null }> {
    const limit = filters.limit ?? 50;
    const rows = await this.#select(filters, 'desc', limit + 1);
    const page = rows.slice(0, limit).map(toEvent);
    return { events: page, nextCursor: rows.length > limit ? page[page.length - 1].id : null };
  }

  /** Every matching event, oldest first, as JSON lines (for export), read in pages. */
  async *exportLines(filters: Omit<AuditQuery, 'cursor' | 'limit'> = {}): AsyncGenerator<string> {
    let after: string | undefined;
    for (;;) {
      const rows = await this.#select({ ...filters }, 'asc', 500, after);
      for (const row of rows) yield `${JSON.stringify(toEvent(row))}\n`;
      if (rows.length < 500) return;
      after = rows[rows.length - 1].id;
    }
  }

  #select(filters: AuditQuery, direction: 'asc' | 'desc', limit: number, after?: string) {
    let query = this.#store.db.selectFrom('audit_events').selectAll().orderBy('id', direction).limit(limit);
    if (filters.actorUserId) query = query.where('actor_user_id', '=', filters.actorUserId);
    if (filters.connectionId) query = query.where('connection_id', '=', filters.connectionId);
    if (filters.agentId) query = query.where('agent_id', '=', filters.agentId);
    if (filters.action) query = query.where('action', '=', filters.action);
    if (filters.outcome) query = query.where('outcome', '=', filters.outcome);
    if (filters.surface) query = query.where('surface', '=', filters.surface);
    if (filters.since) query = query.where('at', '>=', filters.since);
    if (filters.until) query = query.where('at', '<', filters.until);
    if (filters.cursor) query = query.where('id', '<', filters.cursor);
    if (after) query = query.where('id', '>', after);
    return query.execute();
  }
}

export const auditQuerySchema = z.object({
  actorUserId: z.string().min(1).optional(),
  connectionId: z.string().min(1).optional(),
  /** Events of one agent: its tool calls, refusals, approvals and changes. */
  agentId: z.string().min(1).max(64).optional(),
  action: z.string().min(1).max(100).optional(),
  outcome: z.enum(['success', 'failure', 'denied']).optional(),
  surface: z.enum(['web', 'api', 'cli', 'agent', 'mcp', 'system']).optional(),
  since: z.iso.datetime().optional(),
  until: z.iso.datetime().optional(),
  cursor: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

export type AuditQuery = z.infer<typeof auditQuerySchema>;

function toEvent(row: Omit<AuditEventsTable, 'agent_id'>): AuditEvent {
  return eventOf(row, JSON.parse(row.record_ids), JSON.parse(row.detail));
}

/** A row as the API shows it, with its JSON columns already parsed (or never serialised). */
function eventOf(
  row: Omit<AuditEventsTable, 'agent_id'>,
  recordIds: string[],
  detail: Record<string, unknown>,
): AuditEvent {
  return {
    id: row.id,
    at: row.at,
    actorUserId: row.actor_user_id,
    connectionId: row.connection_id,
    surface: row.surface,
    action: row.action,
    objectType: row.object_type,
    recordIds,
    outcome: row.outcome,
    errorCode: row.error_code,
    detail,
  };
}
