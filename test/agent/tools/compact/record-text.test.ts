import { describe, expect, it } from 'vitest';
import { measureCompaction } from '../../../../src/agent/tools/compact/compact-pages.ts';
import { compactRecordText } from '../../../../src/agent/tools/compact/record-text.ts';
import { retrievedContact, url } from './fixtures.ts';

describe('compactRecordText (the single-record form)', () => {
  it('is `Type Id Name`, then Field=value lines: no nulls, audit fields or repeated address', () => {
    expect(compactRecordText(retrievedContact)).toBe(
      [
        'Contact 0038d0000000003AAA Ahmed Novak',
        'CreatedDate=2026-11-21T07:15:37.445Z',
        'LastModifiedDate=2026-11-21T07:15:37.445Z',
        'OwnerId=0058d0000000001AAA',
        'AccountId=0018d0000000001AAA',
        'LastName=Novak',
        'FirstName=Ahmed',
        'MailingCity=Miami',
        'MailingState=FL',
        'MailingPostalCode="33101"',
        'MailingCountry=United States',
        'Phone=(305) 555-0181',
        'Email=ahmed.novak@harborviewhotels.example',
        'Title=Senior Buyer',
        'Department=Procurement',
        'LeadSource=Partner Referral',
        'Description="First line\\nsecond line"',
        'HasOptedOutOfEmail=false',
        'DoNotCall=false',
        'HasOptedOutOfFax=false',
        'IsEmailBounced=false',
      ].join('\n'),
    );
    expect(
      measureCompaction(retrievedContact, compactRecordText(retrievedContact)).ratio,
    ).toBeLessThanOrEqual(0.4);
  });

  it('keeps audit fields the caller asked for by name, and an address whose parts were not returned', () => {
    const text = compactRecordText(
      {
        attributes: { type: 'Account', url: url('Account', '0018d0000000001AAA') },
        CreatedById: '0058d0000000001AAA',
        BillingAddress: { city: 'Miami', country: 'US' },
      },
      { requestedFields: ['createdbyid', 'BillingAddress'] },
    );
    expect(text).toBe(
      'Account 0018d0000000001AAA\nCreatedById=0058d0000000001AAA\nBillingAddress.city=Miami\nBillingAddress.country=US',
    );
  });

  it('quotes only values plain text would misread', () => {
    const text = compactRecordText({
      attributes: { type: 'Case', url: url('Case', '5008d0000000001AAA') },
      Subject: ' padded',
      Origin: '',
      Comments: 'true',
      Reason: '"quoted"',
      Priority: 'High',
      Amount__c: 12.5,
    });
    expect(text.split('\n').slice(1)).toEqual([
      'Subject=" padded"',
      'Origin=""',
      'Comments="true"',
      'Reason="\\"quoted\\""',
      'Priority=High',
      'Amount__c=12.5',
    ]);
  });
});
