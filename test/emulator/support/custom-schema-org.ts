/** An org data document with a custom object (Invoice__c) and a custom external id on Account. */
export function customSchemaOrgData(): Record<string, unknown> {
  return {
    format: 'forcefield-emulator-org',
    version: 1,
    customObjects: [
      {
        name: 'Invoice__c',
        label: 'Invoice',
        fields: [
          { name: 'Number__c', label: 'Number', type: 'string', length: 20, externalId: true, unique: true },
          { name: 'Amount__c', label: 'Amount', type: 'currency', precision: 16, scale: 2 },
          { name: 'Account__c', label: 'Account', type: 'reference', referenceTo: 'Account' },
          {
            name: 'Status__c',
            label: 'Status',
            type: 'picklist',
            picklistValues: ['Draft', 'Sent', 'Paid'],
            defaultValue: 'Draft',
          },
          { name: 'Paid__c', label: 'Paid', type: 'boolean' },
        ],
      },
    ],
    customFields: {
      Account: [
        { name: 'Legacy_Id__c', label: 'Legacy Id', type: 'string', length: 40, externalId: true },
        { name: 'Erp_Number__c', label: 'ERP Number', type: 'int', externalId: true },
      ],
    },
    records: {
      Account: [
        { Id: '001000000000001AAA', Name: 'Globex', Legacy_Id__c: 'L-1' },
        { Name: 'Initech One', Legacy_Id__c: 'DUP' },
        { Name: 'Initech Two', Legacy_Id__c: 'DUP' },
      ],
      Invoice__c: [
        { Name: 'INV-1', Number__c: 'N-1', Amount__c: 120.5, Account__c: '001000000000001AAA' },
        {
          Name: 'INV-2',
          Number__c: 'N-2',
          Amount__c: 80,
          Account__c: '001000000000001AAA',
          Status__c: 'Paid',
        },
      ],
    },
  };
}
