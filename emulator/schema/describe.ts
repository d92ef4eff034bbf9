import type { Field, Schema, SObjectType } from './schema.ts';

const SOAP_TYPES: Record<string, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  boolean: 'xsd:boolean',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  int: 'xsd:int',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  time: 'xsd:time',
  base64: 'xsd:base64Binary',
  address: 'urn:address',
};

function objectUrls(version: string, name: string): Record<string, string> {
  const base = `/services/data/v${version}/sobjects/${name}`;
  return {
    compactLayouts: `${base}/describe/compactLayouts`,
    rowTemplate: `${base}/{ID}`,
    approvalLayouts: `${base}/describe/approvalLayouts`,
    uiDetailTemplate: `https://emulator.invalid/{ID}`,
    uiEditTemplate: `https://emulator.invalid/{ID}/e`,
    defaultValues: `${base}/defaultValues?recordTypeId&fields`,
    listviews: `${base}/listviews`,
    describe: `${base}/describe`,
    uiNewRecord: `https://emulator.invalid/${name}/e`,
    quickActions: `${base}/quickActions`,
    layouts: `${base}/describe/layouts`,
    sobject: base,
  };
}

/** One entry of describeGlobal (also `objectDescribe` of GET /sobjects/{T}). */
export function describeGlobalEntry(object: SObjectType, version: string): Record<string, unknown> {
  const urls = objectUrls(version, object.name);
  return {
    activateable: false,
    associateEntityType: null,
    associateParentEntity: null,
    createable: object.createable,
    custom: object.name.endsWith('__c'),
    customSetting: false,
    deepCloneable: false,
    deletable: object.deletable,
    deprecatedAndHidden: false,
    feedEnabled: object.owned,
    hasSubtypes: false,
    isInterface: false,
    isSubtype: false,
    keyPrefix: object.keyPrefix,
    label: object.label,
    labelPlural: object.labelPlural,
    layoutable: object.createable,
    mergeable: ['Account', 'Contact', 'Lead', 'Case'].includes(object.name),
    mruEnabled: object.owned,
    name: object.name,
    queryable: object.queryable,
    replicateable: true,
    retrieveable: object.retrieveable,
    searchable: object.searchable,
    triggerable: true,
    undeletable: object.deletable,
    updateable: object.updateable,
    urls: {
      rowTemplate: urls.rowTemplate,
      defaultValues: urls.defaultValues,
      describe: urls.describe,
      sobject: urls.sobject,
    },
  };
}

export function describeField(field: Field): Record<string, unknown> {
  const textual = ![
    'id',
    'reference',
    'boolean',
    'double',
    'currency',
    'percent',
    'int',
    'date',
    'datetime',
    'time',
    'address',
  ].includes(field.type);
  const referenceTo = field.referenceTo ?? [];
  return {
    aggregatable:
      field.groupable || ['int', 'double', 'currency', 'percent', 'date', 'datetime'].includes(field.type),
    aiPredictionField: false,
    autoNumber: field.autoNumber === true,
    byteLength: field.type === 'id' || field.type === 'reference' ? 18 : textual ? field.length * 3 : 0,
    calculated: field.calculated === true,
    calculatedFormula: null,
    cascadeDelete: false,
    caseSensitive: false,
    compoundFieldName: field.compoundFieldName ?? null,
    controllerName: null,
    createable: field.createable,
    custom: field.name.endsWith('__c'),
    defaultValue: field.type === 'boolean' ? (field.defaultValue ?? false) : null,
    defaultValueFormula: null,
    defaultedOnCreate: field.defaultedOnCreate,
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: field.type === 'int' ? (field.precision ?? 0) : 0,
    displayLocationInDecimal: false,
    encrypted: false,
    externalId: field.externalId === true,
    extraTypeInfo:
      field.type === 'textarea'
        ? field.length > 255
          ? 'plaintextarea'
          : null
        : field.type === 'reference' && field.name === 'OwnerId'
          ? null
          : null,
    filterable: field.filterable,
    filteredLookupInfo: null,
    formulaTreatNullNumberAsZero: false,
    groupable: field.groupable,
    highScaleNumber: false,
    htmlFormatted: field.htmlFormatted === true,
    idLookup: field.idLookup === true || field.name === 'Id',
    inlineHelpText: null,
    label: field.label,
    length: textual ? field.length : 0,
    mask: null,
    maskType: null,
    name: field.name,
    nameField: field.nameField === true,
    namePointing: referenceTo.length > 1,
    nillable: field.nillable,
    permissionable: field.nillable && !field.calculated && field.createable,
    picklistValues: (field.picklistValues ?? []).map((entry) => ({
      active: entry.active !== false,
      defaultValue: entry.default === true,
      label: entry.label ?? entry.value,
      validFor: null,
      value: entry.value,
    })),
    polymorphicForeignKey: referenceTo.length > 1,
    precision: ['double', 'currency', 'percent'].includes(field.type) ? (field.precision ?? 18) : 0,
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo,
    relationshipName: field.relationshipName ?? null,
    relationshipOrder: null,
    restrictedDelete: false,
    restrictedPicklist: field.restrictedPicklist === true,
    scale: ['double', 'currency', 'percent'].includes(field.type) ? (field.scale ?? 0) : 0,
    searchPrefilterable: field.type === 'reference',
    soapType: SOAP_TYPES[field.type] ?? 'xsd:string',
    sortable: field.sortable,
    type: field.type,
    unique: field.unique === true,
    updateable: field.updateable,
    writeRequiresMasterRead: false,
  };
}

/**
 * `GET /sobjects/{T}/describe`, shaped like Salesforce's DescribeSObjectResult, as the caller sees
 * it: `access.schema` is their profile's view (hidden fields and unreadable child objects absent,
 * createable/updateable/deletable per object permissions and field-level security), and `object`
 * comes from it.
 */
export function describeObject(
  access: { schema: Schema },
  object: SObjectType,
  version: string,
): Record<string, unknown> {
  const schema = access.schema;
  return {
    ...describeGlobalEntry(object, version),
    actionOverrides: [],
    childRelationships: schema.childRelationships(object.name).map((relationship) => ({
      cascadeDelete: relationship.cascadeDelete,
      childSObject: relationship.childSObject,
      deprecatedAndHidden: false,
      field: relationship.field,
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: relationship.relationshipName,
      restrictedDelete: false,
    })),
    compactLayoutable: object.createable,
    defaultImplementation: null,
    extendedBy: null,
    extendsInterfaces: null,
    fields: object.fields.map(describeField),
    implementedBy: null,
    implementsInterfaces: null,
    listviewable: null,
    lookupLayoutable: null,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    recordTypeInfos: [],
    searchLayoutable: object.searchable,
    sobjectDescribeOption: 'FULL',
    supportedScopes: object.owned
      ? [
          { label: 'All', name: 'everything' },
          { label: 'My', name: 'mine' },
        ]
      : [{ label: 'All', name: 'everything' }],
    urls: objectUrls(version, object.name),
  };
}
