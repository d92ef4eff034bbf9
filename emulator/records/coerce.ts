import { formatDate, formatDateTime, parseDate, parseDateTime } from '../core/datetime.ts';
import { dmlError, SalesforceApiError } from '../core/errors.ts';
import { normalizeId } from '../core/ids.ts';
import type { Field } from '../schema/schema.ts';
import type { RecordValue } from '../schema/types.ts';

const TEXT_TYPES = new Set([
  'string',
  'textarea',
  'picklist',
  'multipicklist',
  'combobox',
  'email',
  'phone',
  'url',
]);
const NUMBER_TYPES = new Set(['int', 'double', 'currency', 'percent']);
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const BASE64_PATTERN = /^[A-Za-z0-9+/\r\n]*={0,2}$/;

function describeValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function wrongType(field: Field, value: unknown): SalesforceApiError {
  return dmlError(
    'INVALID_TYPE_ON_FIELD_IN_RECORD',
    `${field.label}: value not of required type: ${describeValue(value)}`,
    [field.name],
  );
}

/**
 * Converts one JSON value from a create/update body into the stored form of the field's type,
 * with Salesforce's error codes for values that don't fit. Empty strings become null, as on Salesforce.
 */
export function coerceFieldValue(field: Field, value: unknown): RecordValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'object') {
    throw new SalesforceApiError(
      400,
      'JSON_PARSER_ERROR',
      `Cannot deserialize instance of ${field.type} from ${Array.isArray(value) ? 'START_ARRAY' : 'START_OBJECT'} value for field ${field.name}`,
    );
  }
  if (TEXT_TYPES.has(field.type)) {
    const text = String(value);
    if (text === '') return null;
    if (field.length > 0 && text.length > field.length) {
      throw dmlError(
        'STRING_TOO_LONG',
        `${field.label}: data value too large: ${text.length > 80 ? `${text.slice(0, 80)}...` : text} (max length=${field.length})`,
        [field.name],
      );
    }
    if (field.type === 'email' && !EMAIL_PATTERN.test(text)) {
      throw dmlError('INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${text}`, [field.name]);
    }
    if (field.type === 'picklist' && field.restrictedPicklist) {
      const allowed = field.picklistValues?.some((entry) => entry.value === text && entry.active !== false);
      if (!allowed) {
        throw dmlError(
          'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          `${field.label}: bad value for restricted picklist field: ${text}`,
          [field.name],
        );
      }
    }
    return text;
  }
  if (NUMBER_TYPES.has(field.type)) {
    const number =
      typeof value === 'number'
        ? value
        : typeof value === 'string' && value.trim() !== ''
          ? Number(value)
          : Number.NaN;
    if (!Number.isFinite(number) || (field.type === 'int' && !Number.isInteger(number)))
      throw wrongType(field, value);
    return number;
  }
  switch (field.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw wrongType(field, value);
    case 'date': {
      const epoch = typeof value === 'string' ? (parseDate(value) ?? parseDateTime(value)) : undefined;
      if (epoch === undefined) throw wrongType(field, value);
      return formatDate(epoch);
    }
    case 'datetime': {
      const epoch = typeof value === 'string' ? (parseDateTime(value) ?? parseDate(value)) : undefined;
      if (epoch === undefined) throw wrongType(field, value);
      return formatDateTime(epoch);
    }
    case 'time':
      if (typeof value === 'string' && /^\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z?$/.test(value)) return value;
      throw wrongType(field, value);
    case 'base64':
      if (typeof value === 'string' && BASE64_PATTERN.test(value)) return value.replace(/[\r\n]/g, '');
      throw wrongType(field, value);
    case 'reference':
    case 'id': {
      const id = typeof value === 'string' ? normalizeId(value) : undefined;
      if (!id) {
        throw dmlError(
          'MALFORMED_ID',
          `${field.label}: id value of incorrect type: ${describeValue(value)}`,
          [field.name],
        );
      }
      return id;
    }
    default:
      throw wrongType(field, value);
  }
}
