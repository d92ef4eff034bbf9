/**
 * `GET …/sobjects/T/describe/layouts`: the object's one page layout (no record types), in the
 * DescribeLayoutResult shape: a detail and an edit view with an information section (the fields the
 * caller can see, two columns) and a system information section, related lists from the child
 * relationships, and the quick actions. Minimal, as a fresh org's default layout is.
 */
import { createHash } from 'node:crypto';
import type { Org } from '../org/org.ts';
import { resolveObject } from '../records/dml.ts';
import { describeField } from '../schema/describe.ts';
import type { Field, Schema, SObjectType } from '../schema/schema.ts';
import { quickActionsFor } from './quick-actions.ts';
import type { DataRequest, DataResponse } from './types.ts';

const SYSTEM_FIELDS = new Set(['CreatedById', 'LastModifiedById', 'CreatedDate', 'LastModifiedDate']);
const HIDDEN_FIELDS = new Set(['Id', 'IsDeleted', 'SystemModstamp']);

/** A stable id of the layout's kind (`00h`), so clients that cache by id see the same one each time. */
function layoutId(objectName: string): string {
  const digest = createHash('sha1').update(objectName).digest('hex').slice(0, 12).toUpperCase();
  return `00h${digest}`.slice(0, 15);
}

function layoutItem(field: Field | undefined, tabOrder: number, editView: boolean): Record<string, unknown> {
  if (!field) {
    return {
      editableForNew: false,
      editableForUpdate: false,
      label: '',
      layoutComponents: [],
      placeholder: true,
      required: false,
    };
  }
  return {
    editableForNew: editView && field.createable,
    editableForUpdate: editView && field.updateable,
    label: field.label,
    layoutComponents: [
      { details: describeField(field), displayLines: 1, tabOrder, type: 'Field', value: field.name },
    ],
    placeholder: false,
    required: field.createable && !field.nillable && !field.defaultedOnCreate,
  };
}

function section(
  heading: string,
  fields: Field[],
  options: { editView: boolean; sectionId: string },
): Record<string, unknown> {
  const layoutRows: Array<Record<string, unknown>> = [];
  for (let index = 0; index < fields.length; index += 2) {
    const layoutItems = [
      layoutItem(fields[index], index + 1, options.editView),
      layoutItem(fields[index + 1], index + 2, options.editView),
    ];
    layoutRows.push({ layoutItems, numItems: layoutItems.length });
  }
  return {
    collapsed: false,
    columns: 2,
    heading,
    layoutRows,
    layoutSectionId: options.sectionId,
    parentLayoutId: null,
    rows: layoutRows.length,
    tabOrder: 'TopToBottom',
    useCollapsibleSection: false,
    useHeading: true,
  };
}

function relatedLists(schema: Schema, object: SObjectType): Array<Record<string, unknown>> {
  return schema.childRelationships(object.name).flatMap((relationship) => {
    const child = schema.object(relationship.childSObject);
    if (!child) return [];
    const nameField = child.nameField;
    return [
      {
        accessLevelRequiredForCreate: null,
        buttons: [],
        columns: nameField
          ? [
              {
                field: `${child.name}.${nameField.name}`,
                fieldApiName: nameField.name,
                label: nameField.label,
                lookupId: 'Id',
                name: nameField.name,
                sortable: true,
              },
            ]
          : [],
        custom: child.name.endsWith('__c'),
        field: relationship.field,
        label: child.labelPlural,
        limitRows: 5,
        name: relationship.relationshipName,
        sobject: child.name,
        sort: [],
      },
    ];
  });
}

export function handleDescribeLayouts(
  org: Org,
  request: DataRequest,
  params: Record<string, string>,
): DataResponse {
  const access = org.security.forUser(request.session.userId);
  const object = resolveObject(org, params.type, access);
  const visible = object.fields.filter((field) => field.type !== 'address' && !HIDDEN_FIELDS.has(field.name));
  const information = visible.filter((field) => !SYSTEM_FIELDS.has(field.name) && !field.compoundFieldName);
  const system = visible.filter((field) => SYSTEM_FIELDS.has(field.name));
  const id = layoutId(object.name);
  const sections = (editView: boolean) => [
    section(`${object.label} Information`, information, { editView, sectionId: `01B${id.slice(3, 12)}1` }),
    ...(editView
      ? []
      : [section('System Information', system, { editView, sectionId: `01B${id.slice(3, 12)}2` })]),
  ];
  const layout = {
    buttonLayoutSection: { detailButtons: [] },
    detailLayoutSections: sections(false),
    editLayoutSections: sections(true),
    feedView: null,
    highlightsPanelLayoutSection: null,
    id,
    multirowEditLayoutSections: [],
    offlineLinks: [],
    quickActionList: {
      quickActionListItems: quickActionsFor(org, access, object.name).map((action) => ({
        accessLevelRequired: null,
        colors: [],
        iconUrl: null,
        icons: [],
        label: action.label,
        miniIconUrl: null,
        quickActionName: action.name,
        targetSobjectType: action.targetSobjectType,
        type: action.type,
        urls: {},
      })),
    },
    relatedContent: null,
    relatedLists: relatedLists(access.schema, object),
    saveOptions: [],
  };
  return {
    status: 200,
    body: { layouts: [layout], recordTypeMapping: [], recordTypeSelectorRequired: [false] },
  };
}
