import { describe, expect, it } from 'vitest';
import { truncateText } from '../../../../src/agent/tools/compact/compact-record.ts';
import { compactRecord } from '../../../../src/agent/tools/compact/record-text.ts';
import { rawContact, url } from './fixtures.ts';

describe('compactRecord', () => {
  it('keeps type and id, drops attributes and nulls, flattens parents and compound fields', () => {
    expect(compactRecord(rawContact(2))).toEqual({
      type: 'Contact',
      Id: '0038d0000000002AAA',
      Name: 'Person 2',
      Email: 'person2@globex.example',
      Title: 'Buyer',
      'Account.Name': 'Globex',
      'Account.Owner.Name': 'Alice Admin',
      'MailingAddress.city': 'Miami',
      'MailingAddress.country': 'US',
    });
  });

  it('recovers the id from attributes.url when Id was not selected', () => {
    expect(
      compactRecord({ attributes: { type: 'Lead', url: url('Lead', '00Q8d0000000001AAA') }, Company: 'X' }),
    ).toEqual({ type: 'Lead', Id: '00Q8d0000000001AAA', Company: 'X' });
  });

  it('truncates long text with a marker, never splitting a surrogate pair', () => {
    const long = `${'😀'.repeat(600)}`;
    const compact = compactRecord(
      { attributes: { type: 'Case' }, Description: long },
      { maxTextLength: 500 },
    );
    expect(compact.Description).toBe(`${'😀'.repeat(500)}… [truncated, 100 more characters]`);
    expect(truncateText('short', 500)).toBe('short');
  });
});
