import { describe, expect, it } from 'vitest';
import { summarizeDescribe } from '../../../../src/agent/tools/compact/summarize-describe.ts';

describe('summarizeDescribe', () => {
  it('keeps names, types, flags, required fields and active picklist values', () => {
    const raw = {
      name: 'Opportunity',
      label: 'Opportunity',
      createable: true,
      updateable: true,
      deletable: false,
      urls: { sobject: '/services/data/v66.0/sobjects/Opportunity' },
      fields: [
        {
          name: 'Id',
          label: 'Opportunity ID',
          type: 'id',
          nillable: false,
          createable: false,
          updateable: false,
          defaultedOnCreate: true,
          picklistValues: [],
        },
        {
          name: 'Name',
          label: 'Name',
          type: 'string',
          length: 120,
          nillable: false,
          createable: true,
          updateable: true,
          defaultedOnCreate: false,
          picklistValues: [],
        },
        {
          name: 'StageName',
          label: 'Stage',
          type: 'picklist',
          nillable: false,
          createable: true,
          updateable: true,
          defaultedOnCreate: false,
          picklistValues: [
            { active: true, defaultValue: false, label: 'Prospecting', value: 'Prospecting', validFor: null },
            { active: false, defaultValue: false, label: 'Old', value: 'Old', validFor: null },
            { active: true, defaultValue: false, label: 'Closed Won', value: 'Closed Won', validFor: null },
          ],
        },
        {
          name: 'AccountId',
          label: 'Account ID',
          type: 'reference',
          referenceTo: ['Account'],
          nillable: true,
          createable: true,
          updateable: false,
          defaultedOnCreate: false,
          picklistValues: [],
        },
        {
          name: 'IsWon',
          label: 'Won',
          type: 'boolean',
          nillable: false,
          createable: false,
          updateable: false,
          defaultedOnCreate: true,
          picklistValues: [],
        },
      ],
    };
    expect(summarizeDescribe(raw, { maxPicklistValues: 1 })).toEqual({
      name: 'Opportunity',
      label: 'Opportunity',
      createable: true,
      updateable: true,
      deletable: false,
      requiredOnCreate: ['Name', 'StageName'],
      fields: [
        { name: 'Id', type: 'id', label: 'Opportunity ID', readOnly: true },
        { name: 'Name', type: 'string', required: true, length: 120 },
        {
          name: 'StageName',
          type: 'picklist',
          label: 'Stage',
          required: true,
          picklist: ['Prospecting'],
          morePicklistValues: 1,
        },
        { name: 'AccountId', type: 'reference', createOnly: true, referenceTo: ['Account'] },
        { name: 'IsWon', type: 'boolean', label: 'Won', readOnly: true },
      ],
    });
  });
});
