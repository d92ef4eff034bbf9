/**
 * Quick actions: the global list (`GET …/quickActions`) and the per-object one
 * (`GET …/sobjects/T/quickActions`) of a fresh org's activity and note actions — NewTask, NewEvent,
 * LogACall, NewNote — each with `…/quickActions/Name` and `…/quickActions/Name/describe`. Actions
 * that create records the caller cannot create are left out, as Salesforce hides them. A POST to
 * an action's URL runs it: `{contextId, record}` creates the record, linked to the context record.
 */
import { notFound, SalesforceApiError } from '../core/errors.ts';
import { normalizeId } from '../core/ids.ts';
import type { Org } from '../org/org.ts';
import { createRecord, resolveObject } from '../records/dml.ts';
import { describeField } from '../schema/describe.ts';
import type { AccessContext } from '../security/access.ts';
import type { DataRequest, DataResponse } from './types.ts';

interface QuickAction {
  name: string;
  label: string;
  type: 'Create' | 'LogACall';
  targetSobjectType: string;
  /**
   * On an object's record: the target's lookup that points at the record, or `link` for a note,
   * which a ContentDocumentLink ties to the record.
   */
  targetParentField: (contextObject: string) => string | null;
  linksToContext?: boolean;
  /** The fields the action's layout shows. */
  fields: string[];
  /** Values the action sets on the record it creates (Log a Call: a completed call). */
  presets?: Record<string, string>;
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
    presets: { Status: 'Completed', TaskSubtype: 'Call' },
  },
  {
    name: 'NewNote',
    label: 'New Note',
    type: 'Create',
    targetSobjectType: 'ContentNote',
    targetParentField: () => null,
    linksToContext: true,
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

function findAction(
  org: Org,
  access: AccessContext,
  contextObject: string | undefined,
  name: string,
): QuickAction {
  const action = available(org, access, contextObject).find(
    (candidate) => candidate.name.toLowerCase() === name.replace(/^\w+\./, '').toLowerCase(),
  );
  if (!action) throw notFound();
  return action;
}

/** `GET …/quickActions/Name[/describe]` and the per-object forms. */
export function handleQuickActionDescribe(
  org: Org,
  request: DataRequest,
  params: Record<string, string>,
): DataResponse {
  const { access, contextObject } = contextOf(org, request, params);
  const action = findAction(org, access, contextObject, params.action);
  return { status: 200, body: describeAction(access, request, action, contextObject) };
}

/**
 * `POST …/sobjects/T/quickActions/Name` (and the global form): creates the action's record from
 * `record`, its parent field set to `contextId` (a record of T), and answers the QuickActionResult.
 */
export function handleQuickActionInvoke(
  org: Org,
  request: DataRequest,
  params: Record<string, string>,
): DataResponse {
  const { access, contextObject } = contextOf(org, request, params);
  const action = findAction(org, access, contextObject, params.action);
  const body = request.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new SalesforceApiError(
      400,
      'JSON_PARSER_ERROR',
      'The request body must be a JSON object with a record.',
    );
  }
  const { contextId, record } = body as Record<string, unknown>;
  const fields: Record<string, unknown> = { ...action.presets };
  if (record !== undefined && (record === null || typeof record !== 'object' || Array.isArray(record))) {
    throw new SalesforceApiError(
      400,
      'JSON_PARSER_ERROR',
      'record must be a JSON object of field names and values.',
    );
  }
  Object.assign(fields, record);
  let context: string | null = null;
  if (contextId !== undefined && contextId !== null) {
    const id = typeof contextId === 'string' ? normalizeId(contextId) : undefined;
    const found = id ? org.store.find(id) : undefined;
    const parentField = contextObject === undefined ? null : action.targetParentField(contextObject);
    if (
      !found ||
      found.object.name !== contextObject ||
      found.record.IsDeleted === true ||
      (!parentField && !action.linksToContext)
    ) {
      throw new SalesforceApiError(
        400,
        'INVALID_CROSS_REFERENCE_KEY',
        `invalid context id: ${String(contextId)}`,
      );
    }
    context = found.record.Id as string;
    if (parentField) fields[parentField] = context;
  }
  const userId = request.session.userId;
  // The note and its link to the record are one change: both or neither.
  const id = org.store.transaction(() => {
    const created = createRecord(org, userId, action.targetSobjectType, fields);
    if (context !== null && action.linksToContext) {
      createRecord(org, userId, 'ContentDocumentLink', {
        ContentDocumentId: created,
        LinkedEntityId: context,
      });
    }
    return created;
  });
  return {
    status: 201,
    body: { contextId: context, created: true, errors: [], feedItemIds: [], id, ids: [id], success: true },
  };
}
