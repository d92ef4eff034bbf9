import type { Org } from '../org/org.ts';
import { attributesOf } from '../records/serialize.ts';
import type { SObjectType } from '../schema/schema.ts';
import type { RecordValue, StoredRecord } from '../schema/types.ts';
import type { AccessContext } from '../security/access.ts';
import type { RecordReader, RecordStore } from '../store/record-store.ts';
import { addressValue, followHop, polymorphicValue, type ValueKind } from './fields.ts';
import {
  type AggregatePlan,
  type ChildPlan,
  type Plan,
  type Projection,
  planQuery,
  type SemiJoinPlan,
} from './plan.ts';
import type { ExecutionContext } from './where.ts';

export interface QueryOptions {
  /** queryAll: include soft-deleted records (IsDeleted = true). */
  includeDeleted?: boolean;
  /** Only consider these record ids (SOSL's RETURNING clauses pass the search hits). */
  restrictToIds?: ReadonlySet<string>;
  /** API version, for the `attributes.url` of records. */
  version: string;
}

/** The outcome of a query, serialized lazily by slices so that large results page cheaply. */
export interface QueryRun {
  /** Salesforce's totalSize: the number of rows (or the COUNT() value). */
  totalSize: number;
  /** How many rows `serialize` can return (0 for COUNT()). */
  size: number;
  serialize(start: number, end: number): Record<string, unknown>[];
}

type SerializedRecord = Record<string, unknown>;

class Execution implements ExecutionContext {
  /** The tables, scanned and probed as they are; sharing is applied per candidate record. */
  readonly tables: RecordStore;
  /** Parent lookups (relationship paths), through the caller's sharing. */
  readonly store: RecordReader;
  readonly access: AccessContext;
  readonly now: number;
  readonly version: string;
  readonly userId: string;
  readonly includeDeleted: boolean;
  readonly #semiJoins = new Map<unknown, ReadonlySet<string>>();
  #withoutDeleted: Execution | undefined;

  constructor(
    tables: RecordStore,
    access: AccessContext,
    now: number,
    version: string,
    includeDeleted: boolean,
  ) {
    this.tables = tables;
    this.access = access;
    this.store = access.records;
    this.now = now;
    this.version = version;
    this.userId = access.userId;
    this.includeDeleted = includeDeleted;
  }

  semiJoin(plan: unknown): ReadonlySet<string> {
    let values = this.#semiJoins.get(plan);
    if (!values) {
      const semiJoin = plan as SemiJoinPlan;
      // A semi-join's inner query never sees deleted rows, even under queryAll.
      let inner: Execution = this;
      if (this.includeDeleted) {
        this.#withoutDeleted ??= new Execution(this.tables, this.access, this.now, this.version, false);
        inner = this.#withoutDeleted;
      }
      const collected = new Set<string>();
      for (const record of selectRecords(semiJoin.plan, inner, undefined, undefined)) {
        const value = record[semiJoin.fieldName];
        if (typeof value === 'string') collected.add(value);
      }
      values = collected;
      this.#semiJoins.set(plan, values);
    }
    return values;
  }
}

/** The ids an index can narrow the scan to, or undefined when the plan has no usable probe. */
function probeCandidates(plan: Plan, context: Execution): ReadonlySet<string> | undefined {
  const table = context.tables.table(plan.object.name);
  let best: ReadonlySet<string> | undefined;
  for (const probe of plan.where?.probes ?? []) {
    if (!table.hasIndex(probe.fieldName)) continue;
    let ids: ReadonlySet<string>;
    if (probe.semiJoin !== undefined) {
      const values = context.semiJoin(probe.semiJoin);
      if (probe.fieldName === 'Id') ids = values;
      else ids = unionLookups(table.lookup.bind(table), probe.fieldName, values);
    } else {
      const values = probe.values ?? [];
      ids =
        values.length === 1
          ? (table.lookup(probe.fieldName, values[0]) ?? new Set())
          : unionLookups(table.lookup.bind(table), probe.fieldName, values);
    }
    if (!best || ids.size < best.size) best = ids;
    if (best.size === 0) break;
  }
  return best;
}

function unionLookups(
  lookup: (fieldName: string, value: RecordValue) => ReadonlySet<string> | undefined,
  fieldName: string,
  values: Iterable<RecordValue>,
): Set<string> {
  const ids = new Set<string>();
  for (const value of values) for (const id of lookup(fieldName, value) ?? []) ids.add(id);
  return ids;
}

/**
 * The records a plan's FROM/WHERE/USING SCOPE select, in table order (or index order), before
 * ORDER BY and paging. `candidateIds` narrows the scan (child subqueries, SOSL).
 */
function matchRecords(
  plan: Plan,
  context: Execution,
  candidateIds: ReadonlySet<string> | undefined,
  restrictToIds: ReadonlySet<string> | undefined,
): StoredRecord[] {
  const table = context.tables.table(plan.object.name);
  let ids = candidateIds ?? probeCandidates(plan, context);
  let mustCheckRestriction = false;
  if (restrictToIds) {
    // Walk whichever set is smaller. Probes are re-checked by the predicate, candidateIds are not.
    if (candidateIds === undefined && (!ids || restrictToIds.size <= ids.size)) ids = restrictToIds;
    else mustCheckRestriction = true;
  }
  const predicate = plan.where?.predicate;
  // Sharing: a cheap per-record check after the index picked the candidates (undefined: all visible).
  const visible = context.access.readFilter(plan.object.name);
  // Without ORDER BY the first offset+limit matches are the answer: stop scanning there.
  const canStopEarly = plan.orderBy.length === 0 && !plan.aggregate && plan.limit !== undefined;
  const stopAt = canStopEarly ? plan.offset + (plan.limit ?? 0) : Number.POSITIVE_INFINITY;
  const matches: StoredRecord[] = [];
  const consider = (record: StoredRecord | undefined): boolean => {
    if (!record) return false;
    if (!context.includeDeleted && record.IsDeleted === true) return false;
    if (mustCheckRestriction && !restrictToIds!.has(record.Id as string)) return false;
    if (plan.scopeMine && record.OwnerId !== context.userId) return false;
    if (visible && !visible(record)) return false;
    if (predicate && !predicate(record, context)) return false;
    matches.push(record);
    return matches.length >= stopAt;
  };
  if (stopAt <= 0) return matches;
  if (ids) {
    for (const id of ids) if (consider(table.records.get(id))) break;
  } else {
    for (const record of table.records.values()) if (consider(record)) break;
  }
  return matches;
}

function sortKey(kind: ValueKind, value: RecordValue): RecordValue {
  if (value === null || value === undefined) return null;
  // Text sorts case-insensitively in Salesforce.
  if (kind === 'text' || kind === 'multipicklist')
    return typeof value === 'string' ? value.toLowerCase() : String(value);
  return value;
}

function compareValues(left: RecordValue, right: RecordValue): number {
  if (left === right) return 0;
  return (left as string | number) < (right as string | number) ? -1 : 1;
}

/** ORDER BY, OFFSET and LIMIT. */
function pageRecords(plan: Plan, matches: StoredRecord[], store: RecordReader): StoredRecord[] {
  const start = plan.offset;
  const end = plan.limit === undefined ? matches.length : start + plan.limit;
  const ordered = plan.orderBy.length > 0 ? sortByTerms(plan, matches, store, end) : matches;
  return start === 0 && end >= ordered.length ? ordered : ordered.slice(start, end);
}

type Decorated = { record: StoredRecord; keys: RecordValue[] };

function compareDecorated(plan: Plan, left: Decorated, right: Decorated): number {
  const terms = plan.orderBy;
  for (let index = 0; index < terms.length; index++) {
    const term = terms[index];
    const a = left.keys[index];
    const b = right.keys[index];
    if (a === b) continue;
    if (a === null) return term.nullsLast ? 1 : -1;
    if (b === null) return term.nullsLast ? -1 : 1;
    const order = compareValues(a, b);
    if (order !== 0) return term.descending ? -order : order;
  }
  return 0;
}

/** Sorts by the ORDER BY terms; only the first `keep` rows are needed (LIMIT + OFFSET). */
function sortByTerms(plan: Plan, matches: StoredRecord[], store: RecordReader, keep: number): StoredRecord[] {
  if (keep <= 0) return [];
  const terms = plan.orderBy;
  // Decorate once: getters may walk parents and lowercase text, too costly inside the comparator.
  const decorate = (record: StoredRecord): Decorated => ({
    record,
    keys: terms.map((term) => sortKey(term.kind, term.getter(record, store))),
  });
  if (keep * 8 < matches.length) {
    // ORDER BY … LIMIT k over many rows: keep a sorted window of k instead of sorting everything.
    const window: Decorated[] = [];
    for (const record of matches) {
      const candidate = decorate(record);
      if (window.length === keep && compareDecorated(plan, candidate, window[keep - 1]) >= 0) continue;
      let low = 0;
      let high = window.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        // Ties go after existing rows, as a stable sort would place them.
        if (compareDecorated(plan, window[middle], candidate) <= 0) low = middle + 1;
        else high = middle;
      }
      window.splice(low, 0, candidate);
      if (window.length > keep) window.pop();
    }
    return window.map((entry) => entry.record);
  }
  const decorated = matches.map(decorate);
  decorated.sort((left, right) => compareDecorated(plan, left, right));
  return decorated.map((entry) => entry.record);
}

function selectRecords(
  plan: Plan,
  context: Execution,
  candidateIds: ReadonlySet<string> | undefined,
  restrictToIds: ReadonlySet<string> | undefined,
): StoredRecord[] {
  return pageRecords(plan, matchRecords(plan, context, candidateIds, restrictToIds), context.store);
}

// --- Serialization -----------------------------------------------------------------------------

function serializeRecord(
  object: SObjectType,
  record: StoredRecord,
  projection: Projection,
  context: Execution,
): SerializedRecord {
  const body: SerializedRecord = {
    attributes: attributesOf(context.version, object.name, record.Id as string),
  };
  for (const entry of projection.entries) {
    switch (entry.kind) {
      case 'field':
        body[entry.name] =
          entry.field.type === 'address' ? addressValue(entry.field, record) : (record[entry.name] ?? null);
        break;
      case 'polymorphic':
        body[entry.name] = polymorphicValue(entry.name, object, record);
        break;
      case 'parent': {
        const parent = followHop(entry.hop, record, context.store);
        body[entry.name] = parent
          ? serializeRecord(parent.object, parent.record, entry.projection, context)
          : null;
        break;
      }
      case 'children':
        body[entry.name] = serializeChildren(entry.plan, record, context);
        break;
    }
  }
  return body;
}

/** A child subquery's result: Salesforce gives a nested query result, or null when there are no rows. */
function serializeChildren(
  plan: ChildPlan,
  parent: StoredRecord,
  context: Execution,
): SerializedRecord | null {
  const table = context.tables.table(plan.object.name);
  const candidates = table.lookup(plan.relationship.field, parent.Id as string);
  const records = selectRecords(plan, context, candidates ?? undefined, undefined);
  if (records.length === 0) return null;
  return {
    totalSize: records.length,
    done: true,
    records: records.map((record) => serializeRecord(plan.object, record, plan.projection, context)),
  };
}

// --- Aggregates --------------------------------------------------------------------------------

function aggregateValue(
  functionName: string,
  kind: ValueKind | undefined,
  values: RecordValue[],
): RecordValue {
  const present = values.filter((value) => value !== null && value !== undefined);
  switch (functionName) {
    case 'COUNT':
      return present.length;
    case 'COUNT_DISTINCT':
      return new Set(present.map((value) => sortKey(kind ?? 'text', value))).size;
    case 'SUM':
      return present.length === 0 ? null : present.reduce<number>((sum, value) => sum + Number(value), 0);
    case 'AVG':
      return present.length === 0
        ? null
        : present.reduce<number>((sum, value) => sum + Number(value), 0) / present.length;
    case 'MIN':
    case 'MAX': {
      let best: RecordValue = null;
      for (const value of present) {
        if (best === null) best = value;
        else {
          const order = compareValues(sortKey(kind ?? 'text', value), sortKey(kind ?? 'text', best));
          if (functionName === 'MIN' ? order < 0 : order > 0) best = value;
        }
      }
      return best;
    }
    default:
      return null;
  }
}

function aggregateRows(
  aggregate: AggregatePlan,
  matches: StoredRecord[],
  store: RecordReader,
): SerializedRecord[] {
  const groups = new Map<string, StoredRecord[]>();
  if (aggregate.groupBy.length === 0) groups.set('', matches);
  else {
    for (const record of matches) {
      const key = JSON.stringify(
        aggregate.groupBy.map((term) => sortKey(term.kind, term.getter(record, store))),
      );
      const group = groups.get(key);
      if (group) group.push(record);
      else groups.set(key, [record]);
    }
  }
  const rows: SerializedRecord[] = [];
  for (const records of groups.values()) {
    const row: SerializedRecord = { attributes: { type: 'AggregateResult' } };
    for (const column of aggregate.columns) {
      if (!column.functionName) {
        row[column.key] = records.length > 0 && column.getter ? column.getter(records[0], store) : null;
      } else {
        const values = column.getter
          ? records.map((record) => column.getter!(record, store))
          : records.map(() => 1);
        row[column.key] = aggregateValue(column.functionName, column.path?.kind, values);
      }
    }
    rows.push(row);
  }
  if (aggregate.orderBy.length > 0) {
    rows.sort((left, right) => {
      for (const term of aggregate.orderBy) {
        const a = sortKey('text', (left[term.key] as RecordValue) ?? null);
        const b = sortKey('text', (right[term.key] as RecordValue) ?? null);
        const rawA = left[term.key] as RecordValue;
        const rawB = right[term.key] as RecordValue;
        const x = typeof rawA === 'number' ? rawA : a;
        const y = typeof rawB === 'number' ? rawB : b;
        if (x === y) continue;
        if (x === null) return term.nullsLast ? 1 : -1;
        if (y === null) return term.nullsLast ? -1 : 1;
        const order = compareValues(x, y);
        return term.descending ? -order : order;
      }
      return 0;
    });
  }
  return rows;
}

// --- Entry points ------------------------------------------------------------------------------

/** Plans and runs a query; rows are serialized on demand by `serialize(start, end)`. */
export function startQuery(org: Org, userId: string, soql: string, options: QueryOptions): QueryRun {
  const access = org.security.forUser(userId);
  // Planned against the caller's schema: objects and fields their profile cannot read do not exist.
  const plan = planQuery(access.schema, soql);
  const context = new Execution(
    org.store,
    access,
    org.clock.now(),
    options.version,
    options.includeDeleted === true,
  );
  {
    const matches = matchRecords(plan, context, undefined, options.restrictToIds);
    if (plan.countOnly) {
      const count = Math.max(0, matches.length - plan.offset);
      return {
        totalSize: plan.limit === undefined ? count : Math.min(count, plan.limit),
        size: 0,
        serialize: () => [],
      };
    }
    if (plan.aggregate) {
      const all = aggregateRows(plan.aggregate, matches, context.store);
      const end = plan.limit === undefined ? all.length : plan.offset + plan.limit;
      const rows = all.slice(plan.offset, end);
      return {
        totalSize: rows.length,
        size: rows.length,
        serialize: (start, stop) => rows.slice(start, stop),
      };
    }
    const records = pageRecords(plan, matches, context.store);
    return {
      totalSize: records.length,
      size: records.length,
      serialize: (start, stop) => {
        const page: SerializedRecord[] = [];
        const last = Math.min(stop, records.length);
        for (let index = start; index < last; index++) {
          page.push(serializeRecord(plan.object, records[index], plan.projection, context));
        }
        return page;
      },
    };
  }
}

/**
 * Runs SOQL as `userId` and returns every row, serialized as the REST API would (no paging).
 * The entry point for other modules, e.g. SOSL's RETURNING clauses with `restrictToIds`.
 */
export function runSoql(
  org: Org,
  userId: string,
  soql: string,
  options: QueryOptions,
): { totalSize: number; records: Record<string, unknown>[] } {
  const run = startQuery(org, userId, soql, options);
  return { totalSize: run.totalSize, records: run.serialize(0, run.size) };
}
