import {
  type CompactCell,
  type CompactOptions,
  type CompactRecord,
  type CompactValue,
  compactOne,
  isObject,
  type JsonObject,
  resolveOptions,
  TYPE_KEY,
} from './compact-record.ts';
import { renderRecord, renderValue } from './compact-table.ts';

export type SingleRecordOptions = CompactOptions;

/** A single retrieved record (`GET sobjects/{type}/{id}`): one object, `type` and `Id` first. */
export function compactRecord(
  raw: unknown,
  options: SingleRecordOptions = {},
): { [key: string]: CompactCell } {
  if (!isObject(raw)) return {};
  return renderRecord(singleRecord(raw, options));
}

/**
 * A single record as the model reads it: `Type Id Name` on the first line, then `Field=value`
 * lines. Values are written as they are, and JSON-quoted only where plain text would mislead:
 * empty, edged with spaces, spanning lines, or reading as a number, boolean or null.
 */
export function compactRecordText(raw: unknown, options: SingleRecordOptions = {}): string {
  if (!isObject(raw)) return '';
  const record = singleRecord(raw, options);
  const { [TYPE_KEY]: type, Id: id, Name: name, ...fields } = record;
  const header = [type, id, name]
    .filter((part) => part !== undefined)
    .map((part) => textValue(part))
    .join(' ');
  const lines = Object.entries(fields).map(([key, value]) => `${key}=${textValue(value)}`);
  return [header, ...lines].join('\n');
}

function singleRecord(raw: JsonObject, options: SingleRecordOptions): CompactRecord {
  const record = compactOne(raw, resolveOptions(options).record);
  for (const [key, value] of Object.entries(raw)) {
    if (isObject(value) && !('attributes' in value) && repeatsItsParts(raw, key, value)) {
      for (const path of Object.keys(record)) if (path.startsWith(`${key}.`)) delete record[path];
    }
  }
  return record;
}

/**
 * True for a compound field whose every set part is also a field of its own with the same value
 * (`MailingAddress.city` and `MailingCity`; Lead's `Address.city` and `City`).
 */
function repeatsItsParts(raw: JsonObject, key: string, compound: JsonObject): boolean {
  const prefix = key.endsWith('Address') ? key.slice(0, -'Address'.length) : key;
  const parts = Object.entries(compound).filter(([, value]) => value !== null);
  return (
    parts.length > 0 &&
    parts.every(([part, value]) => raw[`${prefix}${part[0].toUpperCase()}${part.slice(1)}`] === value)
  );
}

const LOOKS_TYPED = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)$/;

function textValue(value: CompactValue): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return JSON.stringify(renderValue(value));
  const plain =
    value !== '' &&
    value.trim() === value &&
    !value.startsWith('"') &&
    !LOOKS_TYPED.test(value) &&
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
    !/[\u0000-\u001f\u2028\u2029]/.test(value);
  return plain ? value : JSON.stringify(value);
}
