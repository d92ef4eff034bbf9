import { describe, expect, it } from 'vitest';
import { mapSalesforceErrors } from '../../../src/meetings/payloads/salesforce-error-mapping.ts';
import { BOB_ID, RECORD_IDS } from '../fixtures.ts';

describe('mapSalesforceErrors', () => {
  it('maps the fields Salesforce names back to the form, keeping its message', () => {
    expect(
      mapSalesforceErrors(
        [
          {
            message: 'Status: bad value for restricted picklist field: Done',
            errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
            fields: ['Status'],
          },
          { message: 'Subject: data value too large', errorCode: 'STRING_TOO_LONG', fields: ['Subject'] },
          {
            message: 'Related To ID: id value of incorrect type',
            errorCode: 'FIELD_INTEGRITY_EXCEPTION',
            fields: ['WhatId'],
          },
          {
            message: 'Required fields are missing: [Region__c]',
            errorCode: 'REQUIRED_FIELD_MISSING',
            fields: ['Region__c'],
          },
          {
            message: 'Please give the next step a due date.',
            errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
            fields: [],
          },
          {
            message: 'insufficient access rights on cross-reference id',
            errorCode: 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
            fields: [],
          },
          {
            message: 'Due date is in the past',
            errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
            fields: ['ActivityDate'],
          },
        ],
        'task',
      ),
    ).toEqual([
      {
        field: 'status',
        code: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        message: 'Status: bad value for restricted picklist field: Done',
      },
      { field: 'subject', code: 'STRING_TOO_LONG', message: 'Subject: data value too large' },
      {
        field: 'record',
        code: 'FIELD_INTEGRITY_EXCEPTION',
        message: 'Related To ID: id value of incorrect type',
      },
      { field: null, code: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Region__c]' },
      {
        field: null,
        code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
        message: 'Please give the next step a due date.',
      },
      {
        field: 'record',
        code: 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
        message: 'insufficient access rights on cross-reference id',
      },
      { field: 'dueDate', code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Due date is in the past' },
    ]);
  });

  it('maps event and note fields, and drops PROCESSING_HALTED next to the real error', () => {
    expect(
      mapSalesforceErrors(
        [
          {
            message: 'bad time',
            errorCode: 'INVALID_FIELD',
            fields: ['ActivityDateTime', 'DurationInMinutes'],
          },
        ],
        'event',
      ),
    ).toEqual([
      { field: 'startDateTime', code: 'INVALID_FIELD', message: 'bad time' },
      { field: 'durationInMinutes', code: 'INVALID_FIELD', message: 'bad time' },
    ]);
    expect(
      mapSalesforceErrors(
        [
          { message: 'Title: required', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Title'] },
          {
            message:
              'The transaction was rolled back since another operation in the same transaction failed.',
            errorCode: 'PROCESSING_HALTED',
            fields: [],
          },
          {
            message: 'invalid cross reference id',
            errorCode: 'INVALID_CROSS_REFERENCE_KEY',
            fields: ['LinkedEntityId'],
          },
        ],
        'note',
      ),
    ).toEqual([
      { field: 'title', code: 'REQUIRED_FIELD_MISSING', message: 'Title: required' },
      { field: 'record', code: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id' },
    ]);
    expect(
      mapSalesforceErrors(
        [{ message: 'Body too long', errorCode: 'STRING_TOO_LONG', fields: ['Body'] }],
        'note',
        'classic',
      ),
    ).toEqual([{ field: 'body', code: 'STRING_TOO_LONG', message: 'Body too long' }]);
  });
});

describe('the responsible user', () => {
  it('takes a reference error that names no field to the only candidate left', () => {
    const invalid = {
      message: 'invalid cross reference id',
      errorCode: 'INVALID_CROSS_REFERENCE_KEY',
      fields: [],
    };
    const inactive = {
      message: 'operation performed with inactive user',
      errorCode: 'INACTIVE_OWNER_OR_USER',
    };
    const record = { field: 'record', id: RECORD_IDS.Opportunity, user: false } as const;
    const owner = { field: 'ownerId', id: BOB_ID, user: true } as const;
    const fieldOf = (
      error: typeof invalid | typeof inactive,
      candidates: Parameters<typeof mapSalesforceErrors>[3],
    ) => mapSalesforceErrors([error], 'task', 'enhanced', candidates)[0].field;
    expect(fieldOf(invalid, [record, { ...owner, known: 'invalid' }])).toBe('ownerId');
    expect(fieldOf(invalid, [record, { ...owner, known: 'valid' }])).toBe('record');
    expect(fieldOf(invalid, [{ ...owner, known: undefined }])).toBe('ownerId');
    // Both possible and nothing known: the record, as before.
    expect(fieldOf(invalid, [record, owner])).toBe('record');
    // Salesforce sometimes names the id.
    expect(
      fieldOf({ ...invalid, message: `invalid cross reference id: ${BOB_ID.slice(0, 15)}` }, [record, owner]),
    ).toBe('ownerId');
    // Only a user can be inactive.
    expect(fieldOf(inactive, [record, { ...owner, known: 'valid' }])).toBe('ownerId');
    expect(fieldOf(inactive, [record])).toBe(null);
  });
});
