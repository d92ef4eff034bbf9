import { createRequire } from 'node:module';
import type SoqlParser from 'soql-parser-js';
import type { Query } from 'soql-parser-js';
import { canonicalJson } from '../../canonical-json.ts';
import {
  DEFAULT_MAX_QUERY_LENGTH,
  type GuardContext,
  refuse,
  type SoqlGuardOptions,
  type SoqlGuardResult,
} from './soql-guard-types.ts';
import { checkStatementText, parserReason } from './soql-text.ts';
import { applyTopLimit, checkQuery } from './soql-tree-checks.ts';

/**
 * soql-parser-js, loaded on the first query: building its grammar when the module loads costs about
 * 170 ms of CPU, which every start of the service paid although most never see a SOQL query.
 */
let loadedParser: typeof SoqlParser | undefined;
function soqlParser(): typeof SoqlParser {
  loadedParser ??= createRequire(import.meta.url)('soql-parser-js') as typeof SoqlParser;
  return loadedParser;
}

/**
 * The gate in front of the `query_records` tool. The model writes SOQL; this module decides whether
 * it may run and produces the text that actually runs.
 *
 * The text sent to Salesforce is always recomposed from the parse tree (soql-parser-js), never the
 * model's text with edits spliced in. After composing we parse the result again and require the
 * same tree, so what was checked is exactly what runs, string literals included.
 *
 * Decisions:
 * - One SELECT only. A trailing `;` is dropped (models add it out of habit); anything after it is a
 *   second statement and is refused. SOQL has no comments, so `--`, `//` and `/*` are refused.
 * - `FOR UPDATE` locks rows, `FOR VIEW` / `FOR REFERENCE` update the user's recently-viewed data,
 *   `UPDATE TRACKING` / `UPDATE VIEWSTAT` write statistics: all are side effects, all refused.
 * - `ALL ROWS` is Apex-only syntax (deleted rows come from the queryAll endpoint, which this tool
 *   does not use: deleted records are not the agent's business), so it is refused.
 * - `WITH SYSTEM_MODE` asks to bypass the user's permissions: refused, even though the REST API
 *   would run the query in user mode anyway — the intent is not one we serve. `WITH USER_MODE` and
 *   `WITH SECURITY_ENFORCED` only narrow access and are kept.
 * - `TYPEOF` is refused: its WHEN branches name objects outside the allow-list, and polymorphic
 *   paths (`What.Name`, `Who.Name`) cover what the agent needs.
 * - Objects after FROM (and in semi-join subqueries) must be in the caller's allow-list; matching
 *   is case-insensitive like SOQL and the canonical spelling is written back. Child subqueries are
 *   named by relationship; an optional allow-list applies to them.
 * - LIMIT: added when missing, capped when larger; child subqueries get their own (smaller) cap.
 *   `SELECT COUNT() …` returns a number, not rows, and a LIMIT would falsify it, so none is added.
 *   Aggregates without GROUP BY return one row and Salesforce refuses a LIMIT on them.
 * - OFFSET above 2000 is refused (Salesforce's own maximum), as are literals that Salesforce would
 *   read differently from the parser (illegal escapes) and invisible or control characters, which
 *   could make the query shown to the person differ from the query that runs.
 */

/**
 * Checks model-written SOQL for the `query_records` tool. Returns the text to run, or a refusal
 * whose message tells the model what to change.
 */
export function guardReadOnlySoql(text: unknown, options: SoqlGuardOptions): SoqlGuardResult {
  const checkedText = checkStatementText(text, options.maxLength ?? DEFAULT_MAX_QUERY_LENGTH);
  if ('ok' in checkedText) return checkedText;
  let parsed: Query;
  try {
    parsed = soqlParser().parseQuery(checkedText.statement);
  } catch (error) {
    return refuse('malformed_query', `The query could not be parsed: ${parserReason(error)}`);
  }

  const query = structuredClone(parsed);
  const context = guardContext(options);
  const checked = checkQuery(query, 'top', context);
  if (checked) return checked;
  const { limit, shape } = applyTopLimit(query, context);

  const soql = soqlParser().composeQuery(query);
  // The round trip: the composed text must parse back to the tree we checked, or we do not run it.
  let reparsed: Query;
  try {
    reparsed = soqlParser().parseQuery(soql);
  } catch (error) {
    return refuse('malformed_query', `The query could not be normalized: ${parserReason(error)}`);
  }
  if (canonicalJson(reparsed) !== canonicalJson(query)) {
    return refuse(
      'malformed_query',
      'The query could not be normalized safely. Simplify it (plain fields, simple WHERE conditions).',
    );
  }
  return { ok: true, soql, object: query.sObject ?? '', limit, shape };
}

function guardContext(options: SoqlGuardOptions): GuardContext {
  const maxLimit = options.maxLimit ?? 200;
  return {
    allowedObjects: canonicalNames(options.allowedObjects),
    allowedChildRelationships: options.allowedChildRelationships
      ? canonicalNames(options.allowedChildRelationships)
      : undefined,
    maxLimit,
    defaultLimit: Math.min(options.defaultLimit ?? 50, maxLimit),
    maxChildLimit: options.maxChildLimit ?? 50,
    defaultChildLimit: Math.min(options.defaultChildLimit ?? 20, options.maxChildLimit ?? 50),
  };
}

function canonicalNames(names: readonly string[]): Map<string, string> {
  return new Map(names.map((name) => [name.toLowerCase(), name]));
}
