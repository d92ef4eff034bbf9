/**
 * `PATCH …/composite/sobjects/T/Field__c`: sObject Collections upsert, up to 200 records of one
 * type by an external id field, one `{id, success, errors, created}` per record (allOrNone as for
 * the other collection calls). What jsforce's `upsert` sends for an array of records.
 */
import { SalesforceApiError } from '../core/errors.ts';
import type { Org } from '../org/org.ts';
import { resolveObject } from '../records/dml.ts';
import {
  isPlainObject,
  readRecords,
  recordError,
  recordType,
  runCollection,
  type SaveResult,
} from './composite.ts';
import { upsertRecord } from './external-id.ts';
import type { DataRequest, DataResponse } from './types.ts';

type UpsertResult = SaveResult & { created?: boolean };

export function handleCompositeUpsert(
  org: Org,
  request: DataRequest,
  params: Record<string, string>,
): DataResponse {
  const userId = request.session.userId;
  const object = resolveObject(org, params.type, org.security.forUser(userId));
  const { allOrNone, records } = readRecords(request.body);
  const results = runCollection(org, records, { allOrNone, idOnRollback: false }, (record): UpsertResult => {
    if (!isPlainObject(record) || recordType(record) === undefined) {
      return { success: false, errors: recordError('INVALID_TYPE', 'Must specify a type in attributes') };
    }
    const key = Object.keys(record).find((name) => name.toLowerCase() === params.field.toLowerCase());
    const value = key === undefined ? undefined : record[key];
    if (value === undefined || value === null || value === '') {
      return {
        success: false,
        errors: recordError('MISSING_ARGUMENT', `${params.field} not specified`, [params.field]),
      };
    }
    const { attributes: _attributes, ...fields } = record;
    const outcome = upsertRecord(org, userId, {
      objectName: object.name,
      fieldName: params.field,
      value: String(value),
      body: fields,
    });
    if ('matches' in outcome) {
      throw new SalesforceApiError(
        300,
        'DUPLICATE_EXTERNAL_ID',
        `${params.field}: more than one record found for external id field: ${outcome.matches.map((match) => match.Id).join(', ')}`,
        [params.field],
      );
    }
    return { id: outcome.id, success: true, errors: [], created: outcome.created };
  });
  return { status: 200, body: results };
}
