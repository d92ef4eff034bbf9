import type { Org } from '../org/org.ts';
import type { Field } from '../schema/schema.ts';
import type { FieldType } from '../schema/types.ts';
import type { AggregateColumn, Plan, Projection } from '../soql/plan.ts';
import { planQuery } from '../soql/plan.ts';

/**
 * One entry of `columnMetadata` in Salesforce's answer to `GET …/query?q=…&columns=true`, the
 * undocumented resource the Developer Console and the `sf` CLI read to lay out query results.
 * Keys in Salesforce's (alphabetical) order.
 */
export interface QueryColumn {
  aggregate: boolean;
  apexType: string | null;
  booleanType: boolean;
  columnName: string;
  custom: boolean;
  displayName: string;
  foreignKeyName: string | null;
  insertable: boolean;
  joinColumns: QueryColumn[];
  numberType: boolean;
  textType: boolean;
  updatable: boolean;
}

export interface QueryColumns {
  columnMetadata: QueryColumn[];
  entityName: string;
  groupBy: boolean;
  idSelected: boolean;
  keyPrefix: string;
}

const APEX_TYPES: Record<FieldType, string> = {
  id: 'Id',
  reference: 'Id',
  string: 'String',
  textarea: 'String',
  picklist: 'String',
  multipicklist: 'String',
  combobox: 'String',
  email: 'String',
  phone: 'String',
  url: 'String',
  boolean: 'Boolean',
  double: 'Double',
  percent: 'Double',
  currency: 'Decimal',
  int: 'Integer',
  date: 'Date',
  datetime: 'Datetime',
  time: 'Time',
  base64: 'Blob',
  address: 'Address',
};

const NUMBER_TYPES = new Set<FieldType>(['double', 'percent', 'currency', 'int']);
const TEXT_TYPES = new Set<FieldType>([
  'string',
  'textarea',
  'picklist',
  'multipicklist',
  'combobox',
  'email',
  'phone',
  'url',
]);

/** Every key, in Salesforce's order, so a spread of the given values keeps that order. */
const EMPTY_COLUMN: QueryColumn = {
  aggregate: false,
  apexType: null,
  booleanType: false,
  columnName: '',
  custom: false,
  displayName: '',
  foreignKeyName: null,
  insertable: false,
  joinColumns: [],
  numberType: false,
  textType: false,
  updatable: false,
};

function column(values: Partial<QueryColumn> & Pick<QueryColumn, 'columnName' | 'displayName'>): QueryColumn {
  return { ...EMPTY_COLUMN, ...values };
}

/** A field's column; reached through a relationship it can be neither inserted nor updated there. */
function fieldColumn(field: Field, displayName: string, direct: boolean): QueryColumn {
  return column({
    apexType: APEX_TYPES[field.type],
    booleanType: field.type === 'boolean',
    columnName: field.name,
    custom: field.name.endsWith('__c'),
    displayName,
    insertable: direct && field.createable,
    numberType: NUMBER_TYPES.has(field.type),
    textType: TEXT_TYPES.has(field.type),
    updatable: direct && field.updateable,
  });
}

function projectionColumns(projection: Projection, prefix: string): QueryColumn[] {
  const direct = prefix === '';
  return projection.entries.map((entry) => {
    const displayName = `${prefix}${entry.name}`;
    switch (entry.kind) {
      case 'field':
        return fieldColumn(entry.field, displayName, direct);
      case 'polymorphic':
        // Id, Name or Type of the polymorphic "Name" entity behind WhoId, WhatId, OwnerId.
        return column({
          apexType: entry.name === 'Id' ? 'Id' : 'String',
          columnName: entry.name,
          displayName,
          textType: entry.name !== 'Id',
        });
      case 'parent':
        return column({
          columnName: entry.name,
          displayName,
          custom: entry.name.endsWith('__r'),
          joinColumns: projectionColumns(entry.projection, `${displayName}.`),
        });
      default:
        // A subquery is an "aggregate" column whose join columns are the child query's.
        return column({
          aggregate: true,
          columnName: entry.name,
          displayName,
          custom: entry.name.endsWith('__r'),
          joinColumns: projectionColumns(entry.plan.projection, ''),
        });
    }
  });
}

function aggregateColumn(aggregate: AggregateColumn): QueryColumn {
  const field = aggregate.path?.field;
  if (!aggregate.functionName) {
    // A GROUP BY field: a plain column named by its key in the AggregateResult.
    return field
      ? { ...fieldColumn(field, aggregate.key, false), columnName: aggregate.key }
      : column({ columnName: aggregate.key, displayName: aggregate.key, apexType: 'String', textType: true });
  }
  const counts = aggregate.functionName === 'COUNT' || aggregate.functionName === 'COUNT_DISTINCT';
  const averages = aggregate.functionName === 'AVG' || aggregate.functionName === 'SUM';
  const apexType = counts ? 'Integer' : averages ? 'Double' : field ? APEX_TYPES[field.type] : null;
  return column({
    aggregate: true,
    apexType,
    columnName: aggregate.key,
    displayName: functionText(aggregate),
    numberType: counts || averages || (field !== undefined && NUMBER_TYPES.has(field.type)),
    textType: !counts && !averages && field !== undefined && TEXT_TYPES.has(field.type),
    booleanType: false,
  });
}

/** The function as Salesforce displays it (`COUNT(Id)`, `MAX(Account.Name)`). */
function functionText(aggregate: AggregateColumn): string {
  const path = aggregate.path;
  const argument = path ? [...path.hops.map((hop) => hop.relationshipName), path.name].join('.') : '';
  return `${aggregate.functionName}(${argument})`;
}

export function columnsOfPlan(plan: Plan): QueryColumns {
  const columnMetadata = plan.countOnly
    ? []
    : plan.aggregate
      ? plan.aggregate.columns.map(aggregateColumn)
      : projectionColumns(plan.projection, '');
  return {
    columnMetadata,
    entityName: plan.object.name,
    groupBy: (plan.aggregate?.groupBy.length ?? 0) > 0,
    idSelected: plan.projection.entries.some((entry) => entry.kind === 'field' && entry.name === 'Id'),
    keyPrefix: plan.object.keyPrefix,
  };
}

/**
 * `GET …/query?q=…&columns=true`: the query's columns, not its rows. Planned against the caller's
 * schema, so objects and fields their profile cannot see fail as they would in the query itself.
 */
export function queryColumns(org: Org, userId: string, soql: string): QueryColumns {
  return columnsOfPlan(planQuery(org.security.forUser(userId).schema, soql));
}
