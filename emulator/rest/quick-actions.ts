/**
 * Quick actions: the global list (`GET …/quickActions`) and the per-object one
 * (`GET …/sobjects/T/quickActions`) of a fresh org's activity and note actions — NewTask, NewEvent,
 * LogACall, NewNote — each with `…/quickActions/Name` and `…/quickActions/Name/describe`. Actions
 * that create records the caller cannot create are left out, as Salesforce hides them.
 */
import { notFound } from '../core/errors.ts';
import type { Org } from '../org/org.ts';
import { resolveObject } from '../records/dml.ts';
import { describeField } from '../schema/describe.ts';
import type { AccessContext } from '../security/access.ts';
import type { DataRequest, DataResponse } from './types.ts';

interface QuickAction {
  name: string;
  label: string;
  type: 'Create' | 'LogACall';
  targetSobjectType: string;
  /** On an object's record: the target's lookup that points at the record. */
  targetParentField: (contextObject: string) => string | null;
  /** The fields the action's layout shows. */
  fields: string[];
}

const WHO_OBJECTS = new Set(['Contact', 'Lead']);
const activityParent = (contextObject: string) => (WHO_OBJECTS.has(contextObject) ? 'WhoId' : 'WhatId');

const ACTIONS: QuickAction[] = [
  {
    name: 'NewTask',
    label: 'New Task',
    type: 'Create',
    targetSobjectType: 'Task',
    targetParentField: activityParent,
    fields: ['Subject', 'ActivityDate', 'WhoId', 'WhatId', 'OwnerId', 'Status', 'Priority', 'Description'],
  },
  {
    name: 'NewEvent',
    label: 'New Event',
    type: 'Create',
    targetSobjectType: 'Event',
    targetParentField: activityParent,
    fields: [
      'Subject',
      'StartDateTime',
      'EndDateTime',
      'WhoId',
      'WhatId',
      'Location',
      'OwnerId',
      'Description',
    ],
  },
  {
    name: 'LogACall',
    label: 'Log a Call',
    type: 'LogACall',
    targetSobjectType: 'Task',
    targetParentField: activityParent,
    fields: ['Subject', 'Description', 'WhoId', 'WhatId'],
  },
  {
    name: 'NewNote',
    label: 'New Note',
    type: 'Create',
    targetSobjectType: 'ContentNote',
    targetParentField: () => null,
    fields: ['Title', 'Content'],
  },
];

/** Objects whose records carry activities and notes: where a fresh org's layouts offer these actions. */
const ACTION_OBJECTS = new Set(['Account', 'Contact', 'Lead', 'Opportunity', 'Case']);

export interface QuickActionSummary {
  name: string;
  label: string;
  type: string;
  targetSobjectType: string;
}

function available(org: Org, access: AccessContext, contextObject: string | undefined): QuickAction[] {
  if (contextObject !== undefined && !ACTION_OBJECTS.has(contextObject) && !contextObject.endsWith('__c')) {
    return [];
  }
  return ACTIONS.filter(
    (action) =>
      org.schema.object(action.targetSobjectType) !== undefined &&
      access.permissions(action.targetSobjectType).create,
  );
}

/** The actions offered on an object's records (for layouts). */
export function quickActionsFor(org: Org, access: AccessContext, objectName: string): QuickActionSummary[] {
  return available(org, access, objectName);
}

function baseUrl(request: DataRequest, contextObject: string | undefined): string {
  const root = `/services/data/v${request.version}`;
  return contextObject === undefined
    ? `${root}/quickActions`
    : `${root}/sobjects/${contextObject}/quickActions`;
}

function listEntry(
  request: DataRequest,
  action: QuickAction,
  contextObject: string | undefined,
): Record<string, unknown> {
  const base = `${baseUrl(request, contextObject)}/${action.name}`;
  const name = contextObject === undefined ? action.name : `${contextObject}.${action.name}`;
  return {
    actionEnumOrId: action.name,
    label: action.label,
    name,
    type: action.type,
    urls: {
      defaultValuesTemplate: `${base}/defaultValues/{ID}`,
      quickAction: base,
      describe: `${base}/describe`,
      defaultValues: `${base}/defaultValues`,
    },
  };
}

function describeAction(
  access: AccessContext,
  request: DataRequest,
  action: QuickAction,
  contextObject: string | undefined,
): Record<string, unknown> {
  const target = access.schema.object(action.targetSobjectType);
  const fields = action.fields
    .map((name) => target && access.schema.field(target.name, name))
    .filter((field) => field !== undefined);
  return {
    accessLevelRequired: null,
    actionEnumOrId: action.name,
    canvasApplicationId: null,
    canvasApplicationName: null,
    colors: [],
    contextSobjectType: contextObject ?? null,
    defaultValues: [],
    flowDevName: null,
    flowRecordIdVar: null,
    height: null,
    iconName: null,
    iconUrl: null,
    icons: [],
    label: action.label,
    layout: {
      layoutRows: fields.map((field, index) => ({
        layoutItems: [
          {
            editableForNew: field.createable,
            editableForUpdate: false,
            label: field.label,
            layoutComponents: [
              {
                details: describeField(field),
                displayLines: 1,
                tabOrder: index + 1,
                type: 'Field',
                value: field.name,
              },
            ],
            placeholder: false,
            required: field.createable && !field.nillable && !field.defaultedOnCreate,
          },
        ],
        numItems: 1,
      })),
      numberOfColumns: 1,
      rows: fields.length,
    },
    lightningComponentBundleId: null,
    lightningComponentBundleName: null,
    lightningComponentQualifiedName: null,
    miniIconUrl: null,
    mobileExtensionDisplayMode: null,
    mobileExtensionId: null,
    name: contextObject === undefined ? action.name : `${contextObject}.${action.name}`,
    showQuickActionLcHeader: true,
    showQuickActionVfHeader: false,
    targetParentField: contextObject === undefined ? null : action.targetParentField(contextObject),
    targetRecordTypeId: null,
    targetSobjectType: action.targetSobjectType,
    type: action.type,
    urls: listEntry(request, action, contextObject).urls,
    visualforcePageName: null,
    visualforcePageUrl: null,
    width: null,
  };
}

function contextOf(org: Org, request: DataRequest, params: Record<string, string>) {
  const access = org.security.forUser(request.session.userId);
  const contextObject = params.type === undefined ? undefined : resolveObject(org, params.type, access).name;
  return { access, contextObject };
}

/** `GET …/quickActions` and `GET …/sobjects/T/quickActions`. */
export function handleQuickActions(
  org: Org,
  request: DataRequest,
  params: Record<string, string>,
): DataResponse {
  const { access, contextObject } = contextOf(org, request, params);
  const actions = available(org, access, contextObject);
  return { status: 200, body: actions.map((action) => listEntry(request, action, contextObject)) };
}

/** `GET …/quickActions/Name[/describe]` and the per-object forms. */
export function handleQuickActionDescribe(
  org: Org,
  request: DataRequest,
  params: Record<string, string>,
): DataResponse {
  const { access, contextObject } = contextOf(org, request, params);
  const action = available(org, access, contextObject).find(
    (candidate) => candidate.name.toLowerCase() === params.action.replace(/^\w+\./, '').toLowerCase(),
  );
  if (!action) throw notFound();
  return { status: 200, body: describeAction(access, request, action, contextObject) };
}
