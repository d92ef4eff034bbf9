/** What the SOQL guard answers and is given (guard-read-only-soql.ts). */

export const DEFAULT_MAX_QUERY_LENGTH = 20_000;
export const MAX_SOQL_OFFSET = 2000;

export type SoqlGuardErrorCode =
  | 'empty'
  | 'too_long'
  | 'invalid_characters'
  | 'not_select'
  | 'multiple_statements'
  | 'malformed_query'
  | 'side_effect_clause'
  | 'unsupported_clause'
  | 'object_not_allowed'
  | 'relationship_not_allowed'
  | 'offset_too_large'
  | 'invalid_literal'
  | 'invalid_identifier';

/** `records`: rows of the object; `grouped`: aggregate rows per group; `count`: `COUNT()`, no rows; `aggregate`: one aggregate row. */
export type SoqlResultShape = 'records' | 'grouped' | 'count' | 'aggregate';

export type SoqlGuardResult =
  | {
      ok: true;
      /** The text to send: recomposed from the checked parse tree. */
      soql: string;
      /** The FROM object, spelled as in the allow-list. */
      object: string;
      /** The LIMIT in `soql`, or null when the query shape cannot carry one (see the module notes). */
      limit: number | null;
      shape: SoqlResultShape;
    }
  | { ok: false; code: SoqlGuardErrorCode; message: string };

export interface SoqlGuardOptions {
  /** Objects that may follow FROM (top level and semi-joins). */
  allowedObjects: readonly string[];
  /** Child relationship names allowed in subqueries (`Contacts`, `Opportunities`…); any when omitted. */
  allowedChildRelationships?: readonly string[];
  maxLimit?: number;
  defaultLimit?: number;
  /** Cap and default for child subqueries: every parent row can carry that many children. */
  maxChildLimit?: number;
  defaultChildLimit?: number;
  maxLength?: number;
}

export type Refusal = { ok: false; code: SoqlGuardErrorCode; message: string };

export const refuse = (code: SoqlGuardErrorCode, message: string): Refusal => ({ ok: false, code, message });

/** The guard's options, resolved: allow-lists keyed by lower-cased name, limits filled in. */
export interface GuardContext {
  allowedObjects: Map<string, string>;
  allowedChildRelationships: Map<string, string> | undefined;
  maxLimit: number;
  defaultLimit: number;
  maxChildLimit: number;
  defaultChildLimit: number;
}
