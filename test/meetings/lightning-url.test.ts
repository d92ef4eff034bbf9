import { describe, expect, it } from 'vitest';
import { lightningRecordUrl } from '../../src/meetings/lightning-url.ts';

describe('lightningRecordUrl', () => {
  it('uses the Lightning host of a My Domain instance', () => {
    expect(lightningRecordUrl('https://acme.my.salesforce.com', 'Opportunity', '0068d0000000001AAA')).toBe(
      'https://acme.lightning.force.com/lightning/r/Opportunity/0068d0000000001AAA/view',
    );
    expect(
      lightningRecordUrl('https://Acme--UAT.sandbox.my.salesforce.com/', 'Task', '00T8d0000000001AAA'),
    ).toBe('https://acme--uat.sandbox.lightning.force.com/lightning/r/Task/00T8d0000000001AAA/view');
    expect(
      lightningRecordUrl('https://acme-dev-ed.develop.my.salesforce.com', 'Case', '5008d0000000001'),
    ).toBe('https://acme-dev-ed.develop.lightning.force.com/lightning/r/Case/5008d0000000001/view');
  });

  it('uses the instance itself for any other host, such as the emulator', () => {
    expect(lightningRecordUrl('http://127.0.0.1:4100', 'ContentNote', '0698d0000000001AAA')).toBe(
      'http://127.0.0.1:4100/lightning/r/ContentNote/0698d0000000001AAA/view',
    );
    expect(lightningRecordUrl('https://na1.salesforce.com/', 'Account', '0018d0000000001AAA')).toBe(
      'https://na1.salesforce.com/lightning/r/Account/0018d0000000001AAA/view',
    );
  });

  it('refuses what is not an object name or an id', () => {
    expect(() => lightningRecordUrl('https://acme.my.salesforce.com', '../x', '0018d0000000001AAA')).toThrow(
      TypeError,
    );
    expect(() => lightningRecordUrl('https://acme.my.salesforce.com', 'Account', '001/../../x')).toThrow(
      TypeError,
    );
  });
});
