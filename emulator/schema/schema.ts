import type { FieldDefinition, ObjectDefinition } from './types.ts';

export interface ChildRelationship {
  childSObject: string;
  field: string;
  relationshipName: string;
  cascadeDelete: boolean;
}

/** A resolved field with the defaults of FieldDefinition applied. */
export interface Field extends FieldDefinition {
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  defaultedOnCreate: boolean;
  filterable: boolean;
  sortable: boolean;
  groupable: boolean;
  length: number;
}

export interface SObjectType extends Omit<ObjectDefinition, 'fields'> {
  fields: Field[];
  nameField: Field | undefined;
}

const SYSTEM_READ_ONLY = new Set([
  'Id',
  'IsDeleted',
  'CreatedDate',
  'CreatedById',
  'LastModifiedDate',
  'LastModifiedById',
  'SystemModstamp',
]);
const LONG_TYPES = new Set(['base64', 'address']);

function resolveField(definition: FieldDefinition): Field {
  const readOnly =
    definition.calculated === true || SYSTEM_READ_ONLY.has(definition.name) || definition.type === 'address';
  const longText =
    LONG_TYPES.has(definition.type) || (definition.type === 'textarea' && (definition.length ?? 0) > 4000);
  return {
    ...definition,
    nillable: definition.nillable ?? true,
    createable: definition.createable ?? !readOnly,
    updateable: definition.updateable ?? !readOnly,
    defaultedOnCreate: definition.defaultedOnCreate ?? false,
    filterable: definition.filterable ?? !longText,
    sortable: definition.sortable ?? !longText,
    groupable: definition.groupable ?? !longText,
    length: definition.length ?? 0,
  };
}

/**
 * The org's schema with case-insensitive lookups (Salesforce API names are case-insensitive in
 * SOQL and in request bodies) and the derived child relationships.
 */
export class Schema {
  readonly objects: SObjectType[];
  #byName = new Map<string, SObjectType>();
  #byKeyPrefix = new Map<string, SObjectType>();
  #fields = new Map<string, Map<string, Field>>();
  #parentRelationships = new Map<string, Map<string, Field>>();
  #childRelationships = new Map<string, ChildRelationship[]>();
  #childRelationshipsByName = new Map<string, Map<string, ChildRelationship>>();

  constructor(definitions: ObjectDefinition[]) {
    this.objects = definitions.map((definition) => {
      const fields = definition.fields.map(resolveField);
      return { ...definition, fields, nameField: fields.find((field) => field.nameField) };
    });
    for (const object of this.objects) {
      const key = object.name.toLowerCase();
      this.#byName.set(key, object);
      // Several objects can share a prefix (ContentNote/ContentDocument): the first one listed owns it.
      if (!this.#byKeyPrefix.has(object.keyPrefix)) this.#byKeyPrefix.set(object.keyPrefix, object);
      const fields = new Map<string, Field>();
      const parents = new Map<string, Field>();
      for (const field of object.fields) {
        fields.set(field.name.toLowerCase(), field);
        if (field.type === 'reference' && field.relationshipName) {
          parents.set(field.relationshipName.toLowerCase(), field);
        }
      }
      this.#fields.set(key, fields);
      this.#parentRelationships.set(key, parents);
      this.#childRelationships.set(key, []);
      this.#childRelationshipsByName.set(key, new Map());
    }
    for (const child of this.objects) {
      for (const field of child.fields) {
        if (field.type !== 'reference' || !field.childRelationshipName) continue;
        for (const parentName of field.referenceTo ?? []) {
          const parentKey = parentName.toLowerCase();
          const list = this.#childRelationships.get(parentKey);
          if (!list) continue;
          const relationship: ChildRelationship = {
            childSObject: child.name,
            field: field.name,
            relationshipName: field.childRelationshipName,
            cascadeDelete: field.cascadeDelete === true,
          };
          list.push(relationship);
          this.#childRelationshipsByName
            .get(parentKey)!
            .set(field.childRelationshipName.toLowerCase(), relationship);
        }
      }
    }
  }

  /** Case-insensitive object lookup. */
  object(name: string): SObjectType | undefined {
    return this.#byName.get(name.toLowerCase());
  }

  objectByKeyPrefix(keyPrefix: string): SObjectType | undefined {
    return this.#byKeyPrefix.get(keyPrefix);
  }

  /** Case-insensitive field lookup; undefined for an unknown object or field. */
  field(objectName: string, fieldName: string): Field | undefined {
    return this.#fields.get(objectName.toLowerCase())?.get(fieldName.toLowerCase());
  }

  /** The reference field behind a parent relationship name (`Account` → Contact.AccountId). */
  parentRelationship(objectName: string, relationshipName: string): Field | undefined {
    return this.#parentRelationships.get(objectName.toLowerCase())?.get(relationshipName.toLowerCase());
  }

  childRelationships(objectName: string): ChildRelationship[] {
    return this.#childRelationships.get(objectName.toLowerCase()) ?? [];
  }

  /** A child relationship by name (`Contacts` on Account), case-insensitive. */
  childRelationship(objectName: string, relationshipName: string): ChildRelationship | undefined {
    return this.#childRelationshipsByName.get(objectName.toLowerCase())?.get(relationshipName.toLowerCase());
  }
}
