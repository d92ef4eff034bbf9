import { describe, expect, it } from 'vitest';
import { standardObjects } from '../../emulator/schema/standard-objects.ts';

/** Objects referenced by describe but not emulated. */
const EXTERNAL_TARGETS = new Set(['UserRole', 'ContentVersion', 'ContentWorkspace']);

const NAMELESS = new Set(['OpportunityContactRole', 'ContentDocumentLink']);

const EXPECTED_PREFIXES: Record<string, string> = {
  User: '005',
  Organization: '00D',
  Profile: '00e',
  Account: '001',
  Contact: '003',
  Lead: '00Q',
  Opportunity: '006',
  OpportunityContactRole: '00k',
  Case: '500',
  Task: '00T',
  Event: '00U',
  Note: '002',
  ContentNote: '069',
  ContentDocument: '069',
  ContentDocumentLink: '06A',
};

const SYSTEM_FIELDS = [
  'Id',
  'IsDeleted',
  'CreatedDate',
  'CreatedById',
  'LastModifiedDate',
  'LastModifiedById',
  'SystemModstamp',
];

describe('standardObjects', () => {
  const names = standardObjects.map((object) => object.name);

  it('has unique object names and the expected key prefixes', () => {
    expect(new Set(names).size).toBe(names.length);
    expect(Object.fromEntries(standardObjects.map((object) => [object.name, object.keyPrefix]))).toEqual(
      EXPECTED_PREFIXES,
    );
  });

  it.each(standardObjects.map((object) => [object.name, object] as const))(
    '%s is well formed',
    (_, object) => {
      const fieldNames = object.fields.map((field) => field.name);
      expect(new Set(fieldNames).size).toBe(fieldNames.length);
      for (const name of SYSTEM_FIELDS) expect(fieldNames).toContain(name);

      const id = object.fields.find((field) => field.name === 'Id')!;
      expect(id).toMatchObject({
        type: 'id',
        createable: false,
        updateable: false,
        nillable: false,
        idLookup: true,
      });

      expect(fieldNames.includes('OwnerId')).toBe(object.owned);
      // Junction objects have no name field in Salesforce; every other object has exactly one.
      const nameFields = object.fields.filter((field) => field.nameField);
      expect(nameFields).toHaveLength(NAMELESS.has(object.name) ? 0 : 1);

      for (const field of object.fields) {
        if (field.type === 'reference') {
          expect(field.referenceTo?.length, field.name).toBeGreaterThan(0);
          expect(field.relationshipName, field.name).toBeTruthy();
          expect(field.indexed, field.name).toBe(true);
          for (const target of field.referenceTo!) {
            if (!EXTERNAL_TARGETS.has(target))
              expect(names, `${object.name}.${field.name}`).toContain(target);
          }
        }
        if (field.picklistValues) {
          const defaults = field.picklistValues.filter((value) => value.default);
          expect(defaults.length, `${object.name}.${field.name}`).toBeLessThanOrEqual(1);
          const values = field.picklistValues.map((value) => value.value);
          expect(new Set(values).size, `${object.name}.${field.name}`).toBe(values.length);
        }
        if (field.calculated) {
          expect(field.createable, field.name).toBe(false);
          expect(field.updateable, field.name).toBe(false);
        }
      }
    },
  );

  it('restricts the status-like picklists', () => {
    const field = (objectName: string, fieldName: string) =>
      standardObjects.find((object) => object.name === objectName)!.fields.find((f) => f.name === fieldName)!;
    for (const [objectName, fieldName] of [
      ['Task', 'Status'],
      ['Task', 'Priority'],
      ['Opportunity', 'StageName'],
      ['Case', 'Status'],
      ['Lead', 'Status'],
      ['ContentDocumentLink', 'ShareType'],
    ]) {
      expect(field(objectName, fieldName).restrictedPicklist, `${objectName}.${fieldName}`).toBe(true);
    }
    const closedWon = field('Opportunity', 'StageName').picklistValues!.find((v) => v.value === 'Closed Won');
    expect(closedWon).toMatchObject({ closed: true, won: true, probability: 100 });
  });
});
