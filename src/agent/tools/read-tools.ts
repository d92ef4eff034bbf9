import { buildSearchSosl, isValidFieldPath } from '../../salesforce/query-syntax.ts';
import {
  type CompactRemainder,
  compactQueryResult,
  compactSearchResult,
  pageFromRemainder,
} from './compact/compact-pages.ts';
import { compactRecordText } from './compact/record-text.ts';
import { summarizeDescribe } from './compact/summarize-describe.ts';
import { guardReadOnlySoql } from './soql-guard/guard-read-only-soql.ts';
import { namesInSoql } from './soql-guard/soql-text.ts';
import {
  DEFAULT_QUERY_LIMIT,
  MAX_QUERY_LIMIT,
  PAGE_SIZE,
  READABLE_OBJECTS,
  SEARCH_FIELDS,
  toolInputSchemas,
} from './tool-catalog.ts';
import { ToolInputError } from './tool-errors.ts';
import { canonicalObject, okExecution, type ToolEnvironment, type ToolHandler } from './tool-execution.ts';
import type { PaginatedToolName } from './tool-permissions.ts';

/** The tools that read Salesforce: search, one record, a query, a describe, and the next page of a result. */

const searchRecords: ToolHandler = async (rawInput, environment, scope) => {
  const input = toolInputSchemas.search_records.parse(rawInput);
  const objects = input.objects ?? ['Account', 'Contact', 'Lead', 'Opportunity'];
  const perObject = input.limit ?? 10;
  const built = buildSearchSosl({
    term: input.term,
    objects: objects.map((name) => ({ name, fields: SEARCH_FIELDS[name], limit: perObject })),
    limit: Math.min(perObject * objects.length, 200),
  });
  if (!built.ok) throw new ToolInputError(built.code, built.message);
  const objectType = objects.length === 1 ? objects[0] : null;
  scope.objectType = objectType;
  const raw = await environment.client.search(built.sosl);
  if (raw.searchRecords.length === 1) {
    // One match: the record form, denser than a table of one row.
    return okExecution(
      compactRecordText(raw.searchRecords[0]),
      objectType,
      recordIdsOf(raw.searchRecords),
      raw,
    );
  }
  const { page, remainder } = compactSearchResult(raw, {
    pageSize: PAGE_SIZE,
    createCursor: () => 'pending',
  });
  const output = withCursor({ ok: true, ...page }, remainder, 'search_records', environment);
  return okExecution(output, objectType, recordIdsOf(raw.searchRecords), raw);
};

const getRecord: ToolHandler = async (rawInput, environment, scope) => {
  const input = toolInputSchemas.get_record.parse(rawInput);
  const objectType = canonicalObject(input.objectType, READABLE_OBJECTS, 'read');
  scope.objectType = objectType;
  const fields = input.fields ?? [];
  const badField = fields.find((field) => !isValidFieldPath(field));
  if (badField !== undefined)
    throw new ToolInputError('invalid_field', `'${badField}' is not a valid field name.`);
  const raw = await environment.client.retrieve(objectType, input.id, fields);
  return okExecution(compactRecordText(raw, { requestedFields: fields }), objectType, [input.id], raw);
};

const queryRecords: ToolHandler = async (rawInput, environment, scope) => {
  const input = toolInputSchemas.query_records.parse(rawInput);
  const guarded = guardReadOnlySoql(input.soql, {
    allowedObjects: READABLE_OBJECTS,
    maxLimit: MAX_QUERY_LIMIT,
    defaultLimit: DEFAULT_QUERY_LIMIT,
  });
  if (!guarded.ok) throw new ToolInputError(`soql_${guarded.code}`, guarded.message);
  scope.objectType = guarded.object;
  const raw = await environment.client.query(guarded.soql);
  const { page, remainder } = compactQueryResult(raw, {
    pageSize: PAGE_SIZE,
    createCursor: () => 'pending',
    requestedFields: namesInSoql(guarded.soql),
  });
  const output = withCursor(
    { ok: true, soql: guarded.soql, ...page },
    remainder,
    'query_records',
    environment,
  );
  return okExecution(output, guarded.object, recordIdsOf(raw.records), raw);
};

const describeObject: ToolHandler = async (rawInput, environment, scope) => {
  const input = toolInputSchemas.describe_object.parse(rawInput);
  const objectType = canonicalObject(input.objectType, READABLE_OBJECTS, 'read');
  scope.objectType = objectType;
  scope.objectLevel = true;
  const raw = await environment.client.describe(objectType);
  return okExecution({ ok: true, ...summarizeDescribe(raw) }, objectType, [], raw);
};

const nextPage: ToolHandler = async (rawInput, environment, scope) => {
  const input = toolInputSchemas.next_page.parse(rawInput);
  const kept = environment.takeRemainder(input.cursor);
  if (!kept) {
    throw new ToolInputError(
      'cursor_unknown',
      'This cursor is unknown, used already, or expired. Run the search or query again.',
    );
  }
  const objectType = kept.remainder.object ?? null;
  scope.objectType = objectType;
  const options = { pageSize: PAGE_SIZE, createCursor: () => 'pending' };
  if (kept.remainder.records.length === 0 && kept.remainder.nextRecordsUrl) {
    // The rows shown so far were Salesforce's whole batch: fetch its next one.
    const raw = await environment.client.queryMore(kept.remainder.nextRecordsUrl);
    const { page, remainder } = compactQueryResult(raw, {
      ...options,
      alreadyShown: kept.remainder.shown,
      ...(kept.remainder.requestedFields ? { requestedFields: kept.remainder.requestedFields } : {}),
    });
    const output = withCursor({ ok: true, ...page }, remainder, kept.tool, environment);
    return okExecution(output, objectType, recordIdsOf(raw.records), raw);
  }
  const { page, remainder } = pageFromRemainder(kept.remainder, options);
  const output = withCursor({ ok: true, ...page }, remainder, kept.tool, environment);
  return okExecution(output, objectType, idsOfPage(page));
};

export const readToolHandlers = {
  search_records: searchRecords,
  get_record: getRecord,
  query_records: queryRecords,
  describe_object: describeObject,
  next_page: nextPage,
} satisfies Record<string, ToolHandler>;

function recordIdsOf(rows: unknown): string[] {
  const ids: string[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      const id = (value as { Id?: unknown }).Id;
      if (typeof id === 'string') ids.push(id);
      for (const [key, child] of Object.entries(value)) if (key !== 'attributes') visit(child);
    }
  };
  visit(rows);
  return [...new Set(ids)];
}

/** The ids in a compacted page (the `Id` column of each table). */
function idsOfPage(page: {
  fields?: string[];
  rows?: unknown[][];
  results?: Array<{ fields: string[]; rows: unknown[][] }>;
}) {
  const tables = page.results ?? [{ fields: page.fields ?? [], rows: page.rows ?? [] }];
  return tables.flatMap((table) => {
    const column = table.fields.indexOf('Id');
    return column < 0
      ? []
      : table.rows.map((row) => row[column]).filter((id): id is string => typeof id === 'string');
  });
}

/** Replaces the placeholder cursor of a page with a real one once the remainder is kept. */
function withCursor<Page extends { more?: { remaining: number; cursor: string } }>(
  page: Page,
  remainder: CompactRemainder | null,
  tool: PaginatedToolName,
  environment: ToolEnvironment,
): Page {
  if (!remainder || !page.more) return page;
  return { ...page, more: { ...page.more, cursor: environment.keepRemainder(remainder, tool) } };
}
