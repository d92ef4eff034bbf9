/**
 * Custom objects and custom fields, as an org data file declares them (`customObjects`,
 * `customFields`): the subset of Setup's field types the API cares about, with the external id,
 * unique and required flags. They become ordinary ObjectDefinitions, so describe, SOQL, SOSL and
 * DML treat them like the standard objects.
 */
import { z } from 'zod';
import { ownerField, systemFields } from './standard-objects.ts';
import type { FieldDefinition, ObjectDefinition, SearchGroup } from './types.ts';

const CUSTOM_NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*__c$/;
const NAME_MESSAGE =
  'expected a custom API name: a letter, then letters, digits and single underscores, ending in __c';

const customFieldSchema = z
  .object({
    name: z.string().regex(CUSTOM_NAME, NAME_MESSAGE),
    label: z.string().trim().min(1).max(40),
    type: z.enum([
      'string',
      'textarea',
      'email',
      'phone',
      'url',
      'picklist',
      'multipicklist',
      'boolean',
      'int',
      'double',
      'currency',
      'percent',
      'date',
      'datetime',
      'reference',
    ]),
    /** Text length (string: up to 255, textarea: up to 131072). */
    length: z.number().int().positive().max(131072).optional(),
    precision: z.number().int().min(1).max(18).optional(),
    scale: z.number().int().min(0).max(17).optional(),
    required: z.boolean().optional(),
    unique: z.boolean().optional(),
    externalId: z.boolean().optional(),
    defaultValue: z.union([z.string(), z.number(), z.boolean()]).optional(),
    picklistValues: z.array(z.string().min(1)).min(1).optional(),
    restrictedPicklist: z.boolean().optional(),
    /** For a reference (lookup): the parent object's API name. */
    referenceTo: z.string().min(1).optional(),
    /** For a reference: the parent relationship name; default the field name with __r for __c. */
    relationshipName: z
      .string()
      .regex(/^\w+__r$/, 'expected a name ending in __r')
      .optional(),
    /** For a reference: the child relationship name on the parent; default the child's plural label + __r. */
    childRelationshipName: z
      .string()
      .regex(/^\w+__r$/, 'expected a name ending in __r')
      .optional(),
  })
  .strict();

const customObjectSchema = z
  .object({
    name: z.string().regex(CUSTOM_NAME, NAME_MESSAGE),
    label: z.string().trim().min(1).max(40),
    labelPlural: z.string().trim().min(1).max(40).optional(),
    /** Salesforce gives custom objects prefixes starting with `a`; default a00, a01… in declaration order. */
    keyPrefix: z
      .string()
      .regex(/^a[0-9A-Za-z]{2}$/, 'expected a custom key prefix: "a" and two letters or digits')
      .optional(),
    /** The Name field's label (default "<label> Name"). */
    nameFieldLabel: z.string().trim().min(1).max(40).optional(),
    fields: z.array(customFieldSchema).default([]),
  })
  .strict();

export const customObjectsSchema = z.array(customObjectSchema);
/** Custom fields of standard objects, by object API name. */
export const customFieldsSchema = z.record(z.string(), z.array(customFieldSchema));

export type CustomFieldInput = z.input<typeof customFieldSchema>;
export type CustomObjectInput = z.input<typeof customObjectSchema>;

/** The custom part of an org's schema, as declared (kept to write the org data back out). */
export interface CustomSchema {
  customObjects: z.output<typeof customObjectsSchema>;
  customFields: z.output<typeof customFieldsSchema>;
}

export const EMPTY_CUSTOM_SCHEMA: CustomSchema = { customObjects: [], customFields: {} };

export interface CustomSchemaIssue {
  path: string;
  message: string;
}

const SEARCH_GROUPS: Partial<Record<CustomFieldInput['type'], SearchGroup>> = {
  string: 'other',
  textarea: 'other',
  email: 'email',
  phone: 'phone',
  url: 'other',
};

const EXTERNAL_ID_TYPES = new Set(['string', 'email', 'int', 'double']);

function keyPrefixAt(index: number): string {
  const digits = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return `a${digits[Math.floor(index / digits.length) % digits.length]}${digits[index % digits.length]}`;
}

function childRelationshipBase(pluralLabel: string): string {
  return pluralLabel.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'Children';
}

/** One declared custom field as the schema's FieldDefinition. */
function fieldDefinition(input: z.output<typeof customFieldSchema>, childPlural: string): FieldDefinition {
  const base: FieldDefinition = {
    name: input.name,
    label: input.label,
    type: input.type,
    nillable: input.type === 'boolean' ? false : input.required !== true,
  };
  const searchGroup = SEARCH_GROUPS[input.type];
  if (searchGroup) base.searchGroup = searchGroup;
  switch (input.type) {
    case 'string':
      base.length = input.length ?? 255;
      break;
    case 'textarea':
      base.length = input.length ?? 255;
      if (base.length > 255) Object.assign(base, { filterable: false, sortable: false, groupable: false });
      break;
    case 'email':
      base.length = 80;
      break;
    case 'phone':
      base.length = 40;
      break;
    case 'url':
      base.length = 255;
      break;
    case 'picklist':
    case 'multipicklist':
      base.length = input.type === 'picklist' ? 255 : 4099;
      base.picklistValues = (input.picklistValues ?? []).map((value) => ({
        value,
        label: value,
        active: true,
        ...(value === input.defaultValue ? { default: true } : {}),
      }));
      base.restrictedPicklist = input.restrictedPicklist ?? false;
      break;
    case 'boolean':
      base.defaultedOnCreate = true;
      base.defaultValue = input.defaultValue ?? false;
      break;
    case 'int':
      base.precision = input.precision ?? 18;
      base.scale = 0;
      break;
    case 'double':
    case 'currency':
    case 'percent':
      base.precision = input.precision ?? 18;
      base.scale = input.scale ?? (input.type === 'double' ? 0 : 2);
      base.groupable = false;
      break;
    case 'datetime':
      base.groupable = false;
      break;
    case 'reference':
      base.length = 18;
      base.referenceTo = input.referenceTo === undefined ? [] : [input.referenceTo];
      base.relationshipName = input.relationshipName ?? input.name.replace(/__c$/, '__r');
      base.childRelationshipName = input.childRelationshipName ?? `${childRelationshipBase(childPlural)}__r`;
      base.indexed = true;
      break;
  }
  if (input.defaultValue !== undefined && input.type !== 'boolean' && input.type !== 'picklist') {
    base.defaultValue = input.defaultValue;
  }
  if (input.defaultValue !== undefined) base.defaultedOnCreate = true;
  if (input.externalId) Object.assign(base, { externalId: true, idLookup: true, indexed: true });
  if (input.unique) Object.assign(base, { unique: true, indexed: true });
  return base;
}

function checkField(
  input: z.output<typeof customFieldSchema>,
  path: string,
  objectNames: Set<string>,
  issues: CustomSchemaIssue[],
): void {
  if (input.type === 'reference') {
    if (input.referenceTo === undefined)
      issues.push({ path, message: 'a reference field needs referenceTo' });
    else if (!objectNames.has(input.referenceTo.toLowerCase()))
      issues.push({ path: `${path}.referenceTo`, message: `unknown object "${input.referenceTo}"` });
  } else if (input.referenceTo !== undefined) {
    issues.push({ path: `${path}.referenceTo`, message: 'only a reference field has referenceTo' });
  }
  if (
    (input.type === 'picklist' || input.type === 'multipicklist') !==
    (input.picklistValues !== undefined)
  ) {
    issues.push({
      path: `${path}.picklistValues`,
      message: 'picklist fields, and only they, need picklistValues',
    });
  }
  if (
    input.type === 'picklist' &&
    input.defaultValue !== undefined &&
    !input.picklistValues?.includes(String(input.defaultValue))
  ) {
    issues.push({ path: `${path}.defaultValue`, message: 'a picklist default must be one of its values' });
  }
  if (input.externalId && !EXTERNAL_ID_TYPES.has(input.type)) {
    issues.push({
      path: `${path}.externalId`,
      message: `an external id is a text, email or number field, not ${input.type}`,
    });
  }
  if (input.type === 'string' && (input.length ?? 255) > 255) {
    issues.push({ path: `${path}.length`, message: 'a text field holds at most 255 characters' });
  }
}

/** Two lookups to the same parent need different child relationship names (SOQL subqueries use them). */
function checkChildRelationshipNames(
  definitions: ObjectDefinition[],
  customPaths: Map<string, string>,
  issues: CustomSchemaIssue[],
): void {
  const taken = new Set<string>();
  for (const object of definitions) {
    for (const field of object.fields) {
      if (field.type !== 'reference' || !field.childRelationshipName) continue;
      for (const parent of field.referenceTo ?? []) {
        const key = `${parent}.${field.childRelationshipName}`.toLowerCase();
        const path = customPaths.get(`${object.name}.${field.name}`);
        if (taken.has(key) && path !== undefined) {
          issues.push({
            path: `${path}.childRelationshipName`,
            message: `${parent} already has a child relationship named ${field.childRelationshipName}: give this lookup another childRelationshipName`,
          });
        }
        taken.add(key);
      }
    }
  }
}

/**
 * The standard objects with the declared custom objects and fields added. Returns every problem
 * found (unknown objects, clashing names or key prefixes, flags a type cannot have) with its path
 * in the org data document; the definitions are only meaningful when there are none.
 */
export function buildSchemaDefinitions(
  standard: readonly ObjectDefinition[],
  custom: CustomSchema,
): { definitions: ObjectDefinition[]; issues: CustomSchemaIssue[] } {
  const issues: CustomSchemaIssue[] = [];
  const objectNames = new Set(standard.map((object) => object.name.toLowerCase()));
  const usedPrefixes = new Set(standard.map((object) => object.keyPrefix));
  for (const [index, object] of custom.customObjects.entries()) {
    if (objectNames.has(object.name.toLowerCase()))
      issues.push({ path: `customObjects[${index}].name`, message: `duplicate object "${object.name}"` });
    objectNames.add(object.name.toLowerCase());
  }
  /** `Object.Field__c` → where the custom field is declared, to name it in a clash. */
  const customPaths = new Map<string, string>();
  let nextPrefix = 0;
  const customDefinitions = custom.customObjects.map((object, index): ObjectDefinition => {
    const path = `customObjects[${index}]`;
    let keyPrefix = object.keyPrefix;
    if (keyPrefix === undefined) {
      while (
        usedPrefixes.has(keyPrefixAt(nextPrefix)) ||
        custom.customObjects.some((other) => other.keyPrefix === keyPrefixAt(nextPrefix))
      )
        nextPrefix++;
      keyPrefix = keyPrefixAt(nextPrefix++);
    } else if (usedPrefixes.has(keyPrefix)) {
      issues.push({ path: `${path}.keyPrefix`, message: `key prefix ${keyPrefix} is taken` });
    }
    usedPrefixes.add(keyPrefix);
    const labelPlural = object.labelPlural ?? `${object.label}s`;
    const nameField: FieldDefinition = {
      name: 'Name',
      label: object.nameFieldLabel ?? `${object.label} Name`,
      type: 'string',
      length: 80,
      nameField: true,
      nillable: false,
      indexed: true,
      searchGroup: 'name',
    };
    const seen = new Set([
      'id',
      'isdeleted',
      'createddate',
      'createdbyid',
      'lastmodifieddate',
      'lastmodifiedbyid',
      'systemmodstamp',
      'ownerid',
      'name',
    ]);
    const fields: FieldDefinition[] = [];
    for (const [fieldIndex, field] of object.fields.entries()) {
      const fieldPath = `${path}.fields[${fieldIndex}]`;
      if (seen.has(field.name.toLowerCase())) {
        issues.push({ path: `${fieldPath}.name`, message: `duplicate field "${field.name}"` });
        continue;
      }
      seen.add(field.name.toLowerCase());
      checkField(field, fieldPath, objectNames, issues);
      fields.push(fieldDefinition(field, labelPlural));
      customPaths.set(`${object.name}.${field.name}`, fieldPath);
    }
    return {
      name: object.name,
      label: object.label,
      labelPlural,
      keyPrefix,
      createable: true,
      updateable: true,
      deletable: true,
      queryable: true,
      searchable: true,
      retrieveable: true,
      owned: true,
      fields: [...systemFields(`Record ID`), ownerField(), nameField, ...fields],
    };
  });
  const definitions = standard.map((object) => ({ ...object, fields: [...object.fields] }));
  for (const [objectKey, fields] of Object.entries(custom.customFields)) {
    const object = definitions.find((entry) => entry.name.toLowerCase() === objectKey.toLowerCase());
    if (!object) {
      issues.push({ path: `customFields.${objectKey}`, message: `unknown standard object "${objectKey}"` });
      continue;
    }
    for (const [index, field] of fields.entries()) {
      const path = `customFields.${objectKey}[${index}]`;
      if (object.fields.some((existing) => existing.name.toLowerCase() === field.name.toLowerCase())) {
        issues.push({ path: `${path}.name`, message: `duplicate field "${field.name}"` });
        continue;
      }
      checkField(field, path, objectNames, issues);
      object.fields.push(fieldDefinition(field, object.labelPlural));
      customPaths.set(`${object.name}.${field.name}`, path);
    }
  }
  const all = [...definitions, ...customDefinitions];
  checkChildRelationshipNames(all, customPaths, issues);
  return { definitions: all, issues };
}
