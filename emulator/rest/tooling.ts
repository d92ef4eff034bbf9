import { malformedQuery } from '../core/errors.ts';
import type { Org } from '../org/org.ts';
import { locate, queryError } from '../soql/errors.ts';
import { parseSoql } from '../soql/parse.ts';
import type { DataRequest, DataResponse } from './types.ts';

/**
 * The Tooling API objects that clients probe (the `sf` CLI, IDE extensions, jsforce's `conn.tooling`)
 * and their key prefixes. The emulator has no Apex, Visualforce, Lightning components, flows or
 * debug logs, so it answers as an org that has none: the objects exist and queries find no rows.
 */
const TOOLING_OBJECTS: ReadonlyArray<{ name: string; label: string; keyPrefix: string }> = [
  { name: 'ApexClass', label: 'Apex Class', keyPrefix: '01p' },
  { name: 'ApexComponent', label: 'Visualforce Component', keyPrefix: '099' },
  { name: 'ApexLog', label: 'Apex Debug Log', keyPrefix: '07L' },
  { name: 'ApexPage', label: 'Visualforce Page', keyPrefix: '066' },
  { name: 'ApexTestQueueItem', label: 'Apex Test Queue Item', keyPrefix: '709' },
  { name: 'ApexTrigger', label: 'Apex Trigger', keyPrefix: '01q' },
  { name: 'AuraDefinitionBundle', label: 'Lightning Component Bundle', keyPrefix: '0Ab' },
  { name: 'CustomField', label: 'Custom Field', keyPrefix: '00N' },
  { name: 'CustomObject', label: 'Custom Object', keyPrefix: '01I' },
  { name: 'DebugLevel', label: 'Debug Level', keyPrefix: '7dl' },
  { name: 'FlowDefinition', label: 'Flow Definition', keyPrefix: '300' },
  { name: 'LightningComponentBundle', label: 'Lightning Component Bundle', keyPrefix: '0Rb' },
  { name: 'StaticResource', label: 'Static Resource', keyPrefix: '081' },
  { name: 'TraceFlag', label: 'Trace Flag', keyPrefix: '7tf' },
];

/** Lower-cased name → canonical name. SourceMember is absent: an org without source tracking has none. */
const TOOLING_NAMES = new Map(TOOLING_OBJECTS.map((object) => [object.name.toLowerCase(), object.name]));

/** `GET /tooling/sobjects`: the Tooling API's describe global, as for the data API. */
export function handleToolingSObjects(_org: Org, request: DataRequest): DataResponse {
  const base = `/services/data/v${request.version}/tooling/sobjects`;
  return {
    status: 200,
    body: {
      encoding: 'UTF-8',
      maxBatchSize: 200,
      sobjects: TOOLING_OBJECTS.map((object) => ({
        createable: false,
        custom: false,
        deletable: false,
        keyPrefix: object.keyPrefix,
        label: object.label,
        labelPlural: `${object.label}s`,
        layoutable: false,
        name: object.name,
        queryable: true,
        retrieveable: true,
        searchable: false,
        updateable: false,
        urls: {
          rowTemplate: `${base}/${object.name}/{ID}`,
          describe: `${base}/${object.name}/describe`,
          sobject: `${base}/${object.name}`,
        },
      })),
    },
  };
}

/**
 * `GET /tooling/query?q=`: parsed as SOQL (malformed queries fail as on the data API); a known
 * object gives an empty result in the Tooling API's shape, any other `INVALID_TYPE`.
 */
export function handleToolingQuery(_org: Org, request: DataRequest): DataResponse {
  const soql = request.query.get('q');
  if (soql === null || soql.trim() === '') throw malformedQuery('A query string has to be specified');
  const query = parseSoql(soql);
  const objectName = TOOLING_NAMES.get((query.sObject ?? '').toLowerCase());
  if (!objectName) {
    const typed = query.sObject ?? '';
    throw queryError(
      'INVALID_TYPE',
      soql,
      locate(soql, typed),
      `sObject type '${typed}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  return {
    status: 200,
    body: {
      size: 0,
      totalSize: 0,
      done: true,
      queryLocator: null,
      entityTypeName: objectName,
      records: [],
    },
  };
}
