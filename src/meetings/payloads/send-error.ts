/** An error of the send form, on the field it is about: what validation and Salesforce's refusals become. */
import type { FormFieldName, RECORD_FIELD } from '../form-fields.ts';

export type SendErrorField = FormFieldName | typeof RECORD_FIELD | null;

export interface SendError {
  /** The form field at fault; `null` for the form as a whole. */
  field: SendErrorField;
  code: string;
  message: string;
}

/** A linked record as the client sent it. */
export interface LinkedRecord {
  type: string;
  id: string;
}

export type FormValues = Partial<Record<FormFieldName, unknown>>;
