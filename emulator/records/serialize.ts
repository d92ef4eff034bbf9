import type { StoredRecord } from '../schema/types.ts';

export interface RecordAttributes {
  type: string;
  url: string;
}

export function recordUrl(version: string, objectName: string, id: string): string {
  return `/services/data/v${version}/sobjects/${objectName}/${id}`;
}

export function attributesOf(version: string, objectName: string, id: string): RecordAttributes {
  return { type: objectName, url: recordUrl(version, objectName, id) };
}

/** A record as the REST API returns it: `attributes` first, then the fields in the order asked. */
export function serializeRecord(
  version: string,
  objectName: string,
  record: StoredRecord,
  fieldNames: readonly string[],
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    attributes: attributesOf(version, objectName, record.Id as string),
  };
  for (const name of fieldNames) body[name] = record[name] ?? null;
  return body;
}
