import { describe, expect, it } from 'vitest';
import { classifySalesforceError } from '../../../src/agent/tools/classify-salesforce-error.ts';

/** The emulator's error codes (README, "What the emulator supports"), each with the class it gets. */
const RECOVERABLE = [
  'REQUIRED_FIELD_MISSING',
  'INVALID_FIELD_FOR_INSERT_UPDATE',
  'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
  'INVALID_CROSS_REFERENCE_KEY',
  'FIELD_INTEGRITY_EXCEPTION',
  'STRING_TOO_LONG',
  'INVALID_TYPE_ON_FIELD_IN_RECORD',
  'INVALID_EMAIL_ADDRESS',
  'MALFORMED_ID',
  'ENTITY_IS_DELETED',
  'DUPLICATE_VALUE',
  'JSON_PARSER_ERROR',
  'INVALID_TYPE_FOR_OPERATION',
  'MALFORMED_QUERY',
  'INVALID_QUERY_FILTER_OPERATOR',
  'INVALID_QUERY_LOCATOR',
  'MALFORMED_SEARCH',
  'INVALID_SEARCH',
  'PROCESSING_HALTED',
];

describe('classifySalesforceError', () => {
  it.each(RECOVERABLE.map((code) => [code]))('%s is a result the model can read', (errorCode) => {
    expect(
      classifySalesforceError({ errorCode, message: 'Salesforce says no', fields: ['Name'], status: 400 }),
    ).toEqual({
      kind: 'recoverable',
      stepStatus: 'error',
      auditCode: errorCode,
      toolResult: { ok: false, errorCode, message: 'Salesforce says no', fields: ['Name'] },
    });
  });

  it.each([
    ['INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient_access'],
    ['INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY', 'related_record_not_accessible'],
  ])('%s → No output data (%s)', (errorCode, reason) => {
    const classification = classifySalesforceError({
      errorCode,
      message: 'insufficient access rights',
      status: 400,
    });
    expect(classification).toMatchObject({ kind: 'no_access', stepStatus: 'no_output_data', reason });
    // The person sees our sentence, not Salesforce's message.
    if (classification.kind === 'no_access') expect(classification.reasonText).not.toContain('rights');
  });

  it('INVALID_TYPE on a standard object means no access; on an unknown name, a typo', () => {
    const hidden = "sObject type 'Case' is not supported. If you are attempting to use a custom object, …";
    expect(classifySalesforceError({ errorCode: 'INVALID_TYPE', message: hidden })).toMatchObject({
      kind: 'no_access',
      reason: 'object_not_accessible',
    });
    const typo = "sObject type 'Acount' is not supported.";
    expect(classifySalesforceError({ errorCode: 'INVALID_TYPE', message: typo })).toMatchObject({
      kind: 'recoverable',
    });
    const childRelationship = "Didn't understand relationship 'Contactz' in FROM part of query call.";
    expect(classifySalesforceError({ errorCode: 'INVALID_TYPE', message: childRelationship })).toMatchObject({
      kind: 'recoverable',
    });
  });

  it('INVALID_FIELD on a standard field means no access (query and write messages)', () => {
    const query = "ERROR at Row:1:Column:12\nNo such column 'Amount' on entity 'Opportunity'. If you are …";
    const write = "No such column 'Amount' on sobject of type Opportunity";
    for (const message of [query, write]) {
      expect(classifySalesforceError({ errorCode: 'INVALID_FIELD', message })).toMatchObject({
        kind: 'no_access',
        reason: 'field_not_accessible',
      });
    }
    expect(
      classifySalesforceError({
        errorCode: 'INVALID_FIELD',
        message: "No such column 'Amnt' on entity 'Opportunity'.",
      }),
    ).toMatchObject({ kind: 'recoverable' });
  });

  it('uses the caller’s knowledge of the schema when given', () => {
    const message = "No such column 'Region__c' on entity 'Account'.";
    expect(
      classifySalesforceError(
        { errorCode: 'INVALID_FIELD', message },
        { fieldExists: (object, field) => object === 'Account' && field === 'Region__c' },
      ),
    ).toMatchObject({ kind: 'no_access' });
    expect(
      classifySalesforceError(
        { errorCode: 'INVALID_TYPE', message: "sObject type 'Invoice__c' is not supported." },
        { standardObjects: ['Invoice__c'] },
      ),
    ).toMatchObject({ kind: 'no_access' });
  });

  it('NOT_FOUND on a record: No output data for the person, a hint for the model', () => {
    const classification = classifySalesforceError({
      errorCode: 'NOT_FOUND',
      message: 'The requested resource does not exist',
      status: 404,
    });
    expect(classification).toMatchObject({
      kind: 'no_access',
      reason: 'record_not_visible',
      toolResult: { ok: false, errorCode: 'NO_ACCESS' },
    });
  });

  it('NOT_FOUND on a whole object (describe) depends on whether the object is standard', () => {
    const error = { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist', status: 404 };
    expect(classifySalesforceError(error, { objectLevel: true, objectName: 'Case' })).toMatchObject({
      kind: 'no_access',
      reason: 'object_not_accessible',
    });
    expect(classifySalesforceError(error, { objectLevel: true, objectName: 'Acount' })).toMatchObject({
      kind: 'recoverable',
    });
  });

  it.each([
    ['REQUEST_LIMIT_EXCEEDED', 403, true],
    ['UNABLE_TO_LOCK_ROW', 400, true],
    ['UNKNOWN_EXCEPTION', 500, true],
    ['SOMETHING_NEW', 503, true],
    ['INVALID_SESSION_ID', 401, false],
  ])('%s (%i) is a real failure, retryable: %s', (errorCode, status, retryable) => {
    expect(classifySalesforceError({ errorCode, message: 'm', status })).toEqual({
      kind: 'failure',
      stepStatus: 'error',
      auditCode: errorCode,
      retryable,
      message: 'm',
    });
  });

  it('an unknown 4xx code is passed to the model', () => {
    expect(
      classifySalesforceError({ errorCode: 'CANNOT_EXECUTE_FLOW_TRIGGER', message: 'x', status: 400 }),
    ).toMatchObject({ kind: 'recoverable' });
  });
});
