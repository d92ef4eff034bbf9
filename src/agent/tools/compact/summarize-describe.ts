import { isObject } from './compact-record.ts';

export const DEFAULT_MAX_PICKLIST_VALUES = 25;

export interface DescribeFieldSummary {
  name: string;
  type: string;
  label?: string;
  required?: true;
  readOnly?: true;
  createOnly?: true;
  length?: number;
  referenceTo?: string[];
  picklist?: string[];
  morePicklistValues?: number;
}

export interface DescribeSummary {
  name: string;
  label: string;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  /** Fields a create must set: not nillable, createable, and not defaulted by Salesforce. */
  requiredOnCreate: string[];
  fields: DescribeFieldSummary[];
}

/** The part of `sobjects/{type}/describe` the model needs to write correct queries and records. */
export function summarizeDescribe(
  raw: unknown,
  options: { maxPicklistValues?: number } = {},
): DescribeSummary {
  const maxPicklistValues = options.maxPicklistValues ?? DEFAULT_MAX_PICKLIST_VALUES;
  const body = isObject(raw) ? raw : {};
  const rawFields = (Array.isArray(body.fields) ? body.fields : []).filter(isObject);
  const fields: DescribeFieldSummary[] = [];
  const requiredOnCreate: string[] = [];
  for (const field of rawFields) {
    const name = String(field.name);
    const type = String(field.type);
    const summary: DescribeFieldSummary = { name, type };
    const label = typeof field.label === 'string' ? field.label : '';
    // The label only when it tells the model something the API name does not.
    if (label && normalizeLabel(label) !== normalizeLabel(name)) summary.label = label;
    const createable = field.createable === true;
    const updateable = field.updateable === true;
    const required = createable && field.nillable === false && field.defaultedOnCreate !== true;
    if (required) {
      summary.required = true;
      requiredOnCreate.push(name);
    }
    if (!createable && !updateable) summary.readOnly = true;
    else if (createable && !updateable) summary.createOnly = true;
    if ((type === 'string' || type === 'textarea') && typeof field.length === 'number' && field.length > 0) {
      summary.length = field.length;
    }
    if (type === 'reference' && Array.isArray(field.referenceTo) && field.referenceTo.length > 0) {
      summary.referenceTo = field.referenceTo.filter(
        (target): target is string => typeof target === 'string',
      );
    }
    if (Array.isArray(field.picklistValues) && field.picklistValues.length > 0) {
      const values = field.picklistValues
        .filter(isObject)
        .filter((entry) => entry.active !== false)
        .map((entry) => String(entry.value));
      if (values.length > 0) {
        summary.picklist = values.slice(0, maxPicklistValues);
        if (values.length > maxPicklistValues) summary.morePicklistValues = values.length - maxPicklistValues;
      }
    }
    fields.push(summary);
  }
  return {
    name: String(body.name ?? ''),
    label: String(body.label ?? ''),
    createable: body.createable === true,
    updateable: body.updateable === true,
    deletable: body.deletable === true,
    requiredOnCreate,
    fields,
  };
}

function normalizeLabel(text: string): string {
  return text.replace(/[\s_]/g, '').toLowerCase();
}
