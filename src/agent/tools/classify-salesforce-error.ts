import { isStandardField, STANDARD_OBJECTS } from './standard-schema.ts';

/**
 * What a Salesforce error means for a tool call. Three outcomes:
 *
 * - `recoverable`: the call was wrong in a way the model can fix — a validation error, a malformed
 *   query, a misspelt field, a bad id. The model reads `{ ok: false, errorCode, message, fields }`
 *   as the tool's output and tries again. The step's status is `error`.
 * - `no_access`: the connected Salesforce user is not allowed — no permission on the object or
 *   field, a record their sharing hides, an edit they may not make. The step shows "No output
 *   data" with `reason` (our wording, never Salesforce's message), and the model gets a short
 *   result that says so, so it stops rather than probing.
 * - `failure`: not the model's doing and not a permission — Salesforce down, the daily API limit,
 *   a lock, an expired session. The caller raises a real error; `retryable` says whether trying
 *   again later can work.
 *
 * Salesforce answers an object or field the user cannot see exactly as one that does not exist
 * (INVALID_TYPE / INVALID_FIELD / NOT_FOUND); that is deliberate on its side. We tell them apart
 * with what we know independently of the user: the standard objects and fields exist in every org
 * (`standardObjects`, `fieldExists`), so an error naming one of those is an access problem, and a
 * name we do not know is treated as a typo the model can fix. A record NOT_FOUND cannot be told
 * apart at all, so it is both: "No output data" for the person, and a result that suggests checking
 * the id for the model.
 *
 * `toolResult.message` is Salesforce's message and may quote field values: it goes to the model,
 * which is fine, but never into the audit log — audit `auditCode` instead.
 */

export interface SalesforceErrorInput {
  errorCode: string;
  message?: string;
  status?: number;
  fields?: readonly string[];
}

export interface ToolErrorResult {
  ok: false;
  errorCode: string;
  message: string;
  fields: string[];
}

export type NoAccessReason =
  | 'object_not_accessible'
  | 'field_not_accessible'
  | 'record_not_visible'
  | 'insufficient_access'
  | 'related_record_not_accessible';

export type SalesforceErrorClassification =
  | { kind: 'recoverable'; stepStatus: 'error'; auditCode: string; toolResult: ToolErrorResult }
  | {
      kind: 'no_access';
      stepStatus: 'no_output_data';
      reason: NoAccessReason;
      /** A sentence for the person reading the step. */
      reasonText: string;
      auditCode: string;
      toolResult: ToolErrorResult;
    }
  | { kind: 'failure'; stepStatus: 'error'; auditCode: string; retryable: boolean; message: string };

export interface ClassifyContext {
  /** Objects that exist in every org we connect to; INVALID_TYPE naming one means no access. */
  standardObjects?: readonly string[];
  /** Whether a field exists on an object whatever the user's permissions. */
  fieldExists?: (objectName: string, fieldName: string) => boolean;
  /** The object the call was about, when the error message does not name it (e.g. NOT_FOUND). */
  objectName?: string;
  /** The call addressed an object as a whole (describe): NOT_FOUND then means no access to the object. */
  objectLevel?: boolean;
}

const RECOVERABLE_CODES = new Set([
  'MALFORMED_QUERY',
  'MALFORMED_SEARCH',
  'INVALID_SEARCH',
  'INVALID_QUERY_FILTER_OPERATOR',
  'INVALID_QUERY_LOCATOR',
  'REQUIRED_FIELD_MISSING',
  'INVALID_FIELD_FOR_INSERT_UPDATE',
  'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
  'INVALID_CROSS_REFERENCE_KEY',
  'FIELD_INTEGRITY_EXCEPTION',
  'FIELD_CUSTOM_VALIDATION_EXCEPTION',
  'STRING_TOO_LONG',
  'INVALID_TYPE_ON_FIELD_IN_RECORD',
  'INVALID_EMAIL_ADDRESS',
  'MALFORMED_ID',
  'ENTITY_IS_DELETED',
  'DUPLICATE_VALUE',
  'DUPLICATES_DETECTED',
  'JSON_PARSER_ERROR',
  'INVALID_TYPE_FOR_OPERATION',
  'PROCESSING_HALTED',
  'NUMBER_OUTSIDE_VALID_RANGE',
  'INVALID_ID_FIELD',
]);

const ACCESS_CODES: Record<string, NoAccessReason> = {
  INSUFFICIENT_ACCESS_OR_READONLY: 'insufficient_access',
  INSUFFICIENT_ACCESS: 'insufficient_access',
  INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY: 'related_record_not_accessible',
  CANNOT_UPDATE_CONVERTED_LEAD: 'insufficient_access',
};

const RETRYABLE_FAILURES = new Set([
  'REQUEST_LIMIT_EXCEEDED',
  'UNABLE_TO_LOCK_ROW',
  'UNKNOWN_EXCEPTION',
  'SERVER_UNAVAILABLE',
]);
const PERMANENT_FAILURES = new Set(['INVALID_SESSION_ID', 'API_DISABLED_FOR_ORG', 'API_CURRENTLY_DISABLED']);

const REASON_TEXT: Record<NoAccessReason, string> = {
  object_not_accessible: 'The connected Salesforce user has no access to this object.',
  field_not_accessible: 'The connected Salesforce user has no access to a field this step uses.',
  record_not_visible: 'The record does not exist or the connected Salesforce user cannot see it.',
  insufficient_access: 'The connected Salesforce user is not allowed to make this change.',
  related_record_not_accessible:
    'The connected Salesforce user has no access to a related record this step uses.',
};

const MODEL_TEXT: Record<NoAccessReason, string> = {
  object_not_accessible: 'The user has no access to this object in Salesforce. Do not retry; tell the user.',
  field_not_accessible:
    'The user has no access to one of these fields in Salesforce. Retry without that field, or tell the user.',
  record_not_visible:
    'No record with this id exists, or the user cannot see it. Check the id (search first); do not guess ids.',
  insufficient_access:
    'The user is not allowed to make this change in Salesforce. Do not retry; tell the user.',
  related_record_not_accessible:
    'The user has no access to a record referenced in this request. Do not retry with the same reference.',
};

export function classifySalesforceError(
  error: SalesforceErrorInput,
  context: ClassifyContext = {},
): SalesforceErrorClassification {
  const errorCode = error.errorCode || 'UNKNOWN_ERROR';
  const message = error.message ?? '';
  const fields = [...(error.fields ?? [])];
  const status = error.status ?? 400;
  const standardObjects = new Set(
    (context.standardObjects ?? STANDARD_OBJECTS).map((name) => name.toLowerCase()),
  );
  const fieldExists = context.fieldExists ?? isStandardField;

  const recoverable = (): SalesforceErrorClassification => ({
    kind: 'recoverable',
    stepStatus: 'error',
    auditCode: errorCode,
    toolResult: { ok: false, errorCode, message, fields },
  });
  const noAccess = (reason: NoAccessReason): SalesforceErrorClassification => ({
    kind: 'no_access',
    stepStatus: 'no_output_data',
    reason,
    reasonText: REASON_TEXT[reason],
    auditCode: errorCode,
    toolResult: { ok: false, errorCode: 'NO_ACCESS', message: MODEL_TEXT[reason], fields },
  });

  if (errorCode in ACCESS_CODES) return noAccess(ACCESS_CODES[errorCode]);

  if (errorCode === 'INVALID_TYPE') {
    const objectName = /sObject type '([A-Za-z0-9_]+)' is not supported/.exec(message)?.[1];
    return objectName && standardObjects.has(objectName.toLowerCase())
      ? noAccess('object_not_accessible')
      : recoverable();
  }

  if (errorCode === 'INVALID_FIELD') {
    const named =
      /No such column '([A-Za-z0-9_]+)' on entity '([A-Za-z0-9_]+)'/.exec(message) ??
      /No such column '([A-Za-z0-9_]+)' on sobject of type ([A-Za-z0-9_]+)/.exec(message);
    if (named && fieldExists(named[2], named[1])) return noAccess('field_not_accessible');
    return recoverable();
  }

  if (errorCode === 'NOT_FOUND') {
    if (context.objectLevel) {
      return context.objectName && standardObjects.has(context.objectName.toLowerCase())
        ? noAccess('object_not_accessible')
        : recoverable();
    }
    return noAccess('record_not_visible');
  }

  if (RECOVERABLE_CODES.has(errorCode)) return recoverable();

  if (RETRYABLE_FAILURES.has(errorCode) || status >= 500) {
    return { kind: 'failure', stepStatus: 'error', auditCode: errorCode, retryable: true, message };
  }
  if (PERMANENT_FAILURES.has(errorCode) || status === 401) {
    return { kind: 'failure', stepStatus: 'error', auditCode: errorCode, retryable: false, message };
  }
  // Any other 4xx is about the request; Salesforce's message is the model's best guide.
  return recoverable();
}
