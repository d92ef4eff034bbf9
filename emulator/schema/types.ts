/**
 * The emulator's model of an org's schema: enough of Salesforce's describe metadata to drive
 * describe responses, validation, SOQL and SOSL. Field and object names are Salesforce's API names.
 */

/** Salesforce describe `type` values the emulator uses. */
export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'picklist'
  | 'multipicklist'
  | 'combobox'
  | 'reference'
  | 'boolean'
  | 'double'
  | 'currency'
  | 'percent'
  | 'int'
  | 'date'
  | 'datetime'
  | 'time'
  | 'email'
  | 'phone'
  | 'url'
  | 'base64'
  | 'address';

export interface PicklistValue {
  value: string;
  label?: string;
  /** The field's default (`defaultValue: true` in describe). */
  default?: boolean;
  active?: boolean;
  /** Semantics carried by some standard picklists (StageName, Task/Case Status, Lead Status). */
  closed?: boolean;
  won?: boolean;
  converted?: boolean;
  probability?: number;
  forecastCategory?: string;
}

/** Which SOSL `IN … FIELDS` group a searchable text field belongs to. */
export type SearchGroup = 'name' | 'email' | 'phone' | 'other';

export interface FieldDefinition {
  name: string;
  label: string;
  type: FieldType;
  /** Text length for string-like fields; 0 otherwise. */
  length?: number;
  precision?: number;
  scale?: number;
  /** Defaults to true. A createable, non-nillable field without a default is required on create. */
  nillable?: boolean;
  /** Defaults to true unless the field is a system or calculated field. */
  createable?: boolean;
  updateable?: boolean;
  defaultedOnCreate?: boolean;
  /** Value applied on create when the caller gives none (picklists use their `default` entry). */
  defaultValue?: string | number | boolean | null;
  picklistValues?: PicklistValue[];
  restrictedPicklist?: boolean;
  /** For reference fields: the object(s) it may point to (several for polymorphic WhoId/WhatId). */
  referenceTo?: string[];
  /** For reference fields: the parent relationship name (`Account` for AccountId, `What` for WhatId). */
  relationshipName?: string;
  /** For reference fields: the child relationship name on the parent (`Contacts` on Account). */
  childRelationshipName?: string;
  /** Deleting the parent deletes these children (Contact → Account is not; ContentDocumentLink is). */
  cascadeDelete?: boolean;
  /** The object's name field (`Name`, `Subject`, `CaseNumber`, `Title`). */
  nameField?: boolean;
  externalId?: boolean;
  unique?: boolean;
  idLookup?: boolean;
  /** Salesforce indexes Id, Name, lookups, Email, external ids: the store keeps hash indexes on these. */
  indexed?: boolean;
  /** Computed by the platform (formula or system-derived). Never createable or updateable. */
  calculated?: boolean;
  /** Filterable/sortable/groupable default to true, false for long textarea and base64. */
  filterable?: boolean;
  sortable?: boolean;
  groupable?: boolean;
  /** Included in the SOSL search index, in this group. */
  searchGroup?: SearchGroup;
  /** Compound address: the component field prefix (`Billing` → BillingStreet…); describe only. */
  compoundFieldName?: string;
  autoNumber?: boolean;
  htmlFormatted?: boolean;
}

/** A record as the store holds it: API field name → value (strings for dates and datetimes). */
export type RecordValue = string | number | boolean | null;
export type StoredRecord = Record<string, RecordValue>;

export interface ObjectDefinition {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  queryable: boolean;
  searchable: boolean;
  retrieveable: boolean;
  /** Whether records carry OwnerId. */
  owned: boolean;
  fields: FieldDefinition[];
}
