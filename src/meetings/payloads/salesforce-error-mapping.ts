/**
 * Salesforce's own errors back on the send form: each error placed on the form field it is about.
 */
import {
  FORM_FIELD_MAP,
  type FormFieldName,
  type NoteFormat,
  RECORD_FIELD,
  RECORD_LOOKUPS,
  type SendKind,
  sendObjectFor,
} from '../form-fields.ts';
import type { SendError, SendErrorField } from './send-error.ts';

export interface SalesforceError {
  message: string;
  errorCode: string;
  fields?: readonly string[];
}

/** Errors about the linked record usually name no field; they can only be about the record picked. */
const RECORD_ERROR_CODES = new Set([
  'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
  'INVALID_CROSS_REFERENCE_KEY',
  'ENTITY_IS_DELETED',
]);

/** A bad id in a lookup: Salesforce often names neither the field nor the id. */
const REFERENCE_ERROR_CODES = new Set(['INVALID_CROSS_REFERENCE_KEY', 'INACTIVE_OWNER_OR_USER']);

/**
 * An id of the payload that may be the one Salesforce refused: the linked record, and the owner.
 * `user`: the id is a User (INACTIVE_OWNER_OR_USER can only be about those). `known`: what the
 * org's active-user list says about it, when it was consulted.
 */
export interface ReferenceCandidate {
  field: Exclude<SendErrorField, null>;
  id: string;
  user: boolean;
  known?: 'valid' | 'invalid';
}

/** The form field a fieldless reference error is about, when the payload leaves one candidate. */
function referenceCulprit(
  error: SalesforceError,
  candidates: readonly ReferenceCandidate[],
): SendErrorField | undefined {
  if (!REFERENCE_ERROR_CODES.has(error.errorCode) || candidates.length === 0) return undefined;
  const only = (list: readonly ReferenceCandidate[]) => (list.length === 1 ? list[0].field : undefined);
  const named = candidates.filter((candidate) => error.message.includes(candidate.id.slice(0, 15)));
  if (named.length > 0) return only(named);
  if (error.errorCode === 'INACTIVE_OWNER_OR_USER')
    return only(candidates.filter((candidate) => candidate.user));
  const invalid = candidates.filter((candidate) => candidate.known === 'invalid');
  if (invalid.length > 0) return only(invalid);
  return only(candidates.filter((candidate) => candidate.known !== 'valid'));
}

/** Salesforce fields that are not on the form but are about one of its fields. */
const RELATED_FIELDS: Readonly<Record<string, FormFieldName>> = {
  ActivityDateTime: 'startDateTime',
  ActivityDate: 'dueDate',
};

/**
 * Salesforce's errors (`[{ message, errorCode, fields }]`, from a create or from the subrequests of
 * the note composite) as form errors: each field Salesforce names becomes the form field it fills,
 * the linked-record lookups become the record picker, anything else (a validation rule, a required
 * custom field the form does not show) is about the form as a whole. Salesforce's message is kept:
 * it is the org admin's wording for their own rules. PROCESSING_HALTED only says another
 * subrequest failed, so it is dropped when that other error is present.
 */
export function mapSalesforceErrors(
  errors: readonly SalesforceError[],
  kind: SendKind,
  noteFormat: NoteFormat = 'enhanced',
  candidates: readonly ReferenceCandidate[] = [],
): SendError[] {
  const object = sendObjectFor(kind, noteFormat);
  const byField = new Map<string, FormFieldName>();
  for (const [name, salesforceField] of FORM_FIELD_MAP[object])
    byField.set(salesforceField.toLowerCase(), name);
  const recordLookups = new Set(RECORD_LOOKUPS[object].map((field) => field.toLowerCase()));
  const relevant = errors.some((error) => error.errorCode !== 'PROCESSING_HALTED')
    ? errors.filter((error) => error.errorCode !== 'PROCESSING_HALTED')
    : errors;
  const mapped: SendError[] = [];
  const seen = new Set<string>();
  const add = (error: SendError) => {
    const key = `${error.field}\u0000${error.code}\u0000${error.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    mapped.push(error);
  };
  for (const error of relevant) {
    const fields = error.fields ?? [];
    if (fields.length === 0) {
      add({
        field:
          referenceCulprit(error, candidates) ??
          (RECORD_ERROR_CODES.has(error.errorCode) ? RECORD_FIELD : null),
        code: error.errorCode,
        message: error.message,
      });
      continue;
    }
    for (const salesforceField of fields) {
      const lower = salesforceField.toLowerCase();
      const related = Object.entries(RELATED_FIELDS).find(([name]) => name.toLowerCase() === lower)?.[1];
      const field: SendErrorField = recordLookups.has(lower)
        ? RECORD_FIELD
        : (byField.get(lower) ??
          (related && FORM_FIELD_MAP[object].some(([name]) => name === related) ? related : null));
      add({ field, code: error.errorCode, message: error.message });
    }
  }
  return mapped;
}
