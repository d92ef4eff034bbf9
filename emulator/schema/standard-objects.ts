/**
 * The standard objects of a fresh Enterprise Edition org (API v60+), as describe reports them:
 * real API names, types, lengths, labels, picklist values and defaults.
 *
 * Restricted picklists: an ordinary standard picklist accepts unknown values through the API, but
 * the "status-like" standard picklists carry platform semantics on each value (closed, won,
 * converted, probability, forecast category) that the platform needs to derive IsClosed, IsWon,
 * Probability and friends, so the emulator treats them as restricted and rejects unknown values
 * with INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Opportunity.StageName and ForecastCategoryName,
 * Task.Status/Priority/TaskSubtype, Case.Status/Priority, Lead.Status, Event.ShowAs/EventSubtype,
 * ContentDocumentLink.ShareType/Visibility and the User locale keys. The rest (Industry, Type,
 * LeadSource, Rating…) stay unrestricted, as in a real org.
 *
 * Reference targets outside this list: Profile, UserRole (User), ContentVersion and
 * ContentWorkspace (ContentDocument/ContentNote). They appear in describe but cannot be traversed.
 */
import type { FieldDefinition, ObjectDefinition, PicklistValue } from './types.ts';

type Extras = Partial<FieldDefinition>;
type PickEntry = string | PicklistValue;

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

/** Never createable or updateable, computed by the platform. */
const CALC: Extras = { calculated: true, createable: false, updateable: false };
/** Set by the platform (not a formula): read-only through the API. */
const READ_ONLY: Extras = { createable: false, updateable: false };
/** Required on create: not nillable, no default. */
const REQUIRED: Extras = { nillable: false };
/** Long text areas and blobs cannot be filtered, sorted or grouped. */
const UNFILTERABLE: Extras = { filterable: false, sortable: false, groupable: false };

function field(
  name: string,
  label: string,
  type: FieldDefinition['type'],
  extras: Extras = {},
): FieldDefinition {
  return { name, label, type, ...extras };
}

function text(name: string, label: string, length: number, extras: Extras = {}): FieldDefinition {
  return field(name, label, 'string', { length, ...extras });
}

function textarea(name: string, label: string, length: number, extras: Extras = {}): FieldDefinition {
  return field(name, label, 'textarea', { length, ...(length > 255 ? UNFILTERABLE : {}), ...extras });
}

function email(name: string, label: string, extras: Extras = {}): FieldDefinition {
  return field(name, label, 'email', { length: 80, searchGroup: 'email', indexed: true, ...extras });
}

function phone(name: string, label: string, extras: Extras = {}): FieldDefinition {
  return field(name, label, 'phone', { length: 40, searchGroup: 'phone', ...extras });
}

function url(name: string, label: string, extras: Extras = {}): FieldDefinition {
  return field(name, label, 'url', { length: 255, searchGroup: 'other', ...extras });
}

function bool(name: string, label: string, defaultValue = false, extras: Extras = {}): FieldDefinition {
  return field(name, label, 'boolean', { nillable: false, defaultedOnCreate: true, defaultValue, ...extras });
}

function date(name: string, label: string, extras: Extras = {}): FieldDefinition {
  return field(name, label, 'date', extras);
}

function datetime(name: string, label: string, extras: Extras = {}): FieldDefinition {
  return field(name, label, 'datetime', { groupable: false, ...extras });
}

function int(name: string, label: string, precision: number, extras: Extras = {}): FieldDefinition {
  return field(name, label, 'int', { precision, scale: 0, ...extras });
}

function double(name: string, label: string, precision: number, scale: number, extras: Extras = {}) {
  return field(name, label, 'double', { precision, scale, groupable: false, ...extras });
}

function currency(name: string, label: string, precision: number, scale: number, extras: Extras = {}) {
  return field(name, label, 'currency', { precision, scale, groupable: false, ...extras });
}

function percent(name: string, label: string, precision: number, scale: number, extras: Extras = {}) {
  return field(name, label, 'percent', { precision, scale, groupable: false, ...extras });
}

function values(list: readonly PickEntry[]): PicklistValue[] {
  return list.map((entry) =>
    typeof entry === 'string'
      ? { value: entry, label: entry, active: true }
      : { label: entry.value, active: true, ...entry },
  );
}

function picklist(
  name: string,
  label: string,
  list: readonly PickEntry[],
  extras: Extras = {},
): FieldDefinition {
  const picklistValues = values(list);
  const defaulted = picklistValues.some((entry) => entry.default);
  return field(name, label, 'picklist', {
    length: 255,
    picklistValues,
    restrictedPicklist: false,
    ...(defaulted ? { defaultedOnCreate: true } : {}),
    ...extras,
  });
}

function combobox(
  name: string,
  label: string,
  list: readonly PickEntry[],
  extras: Extras = {},
): FieldDefinition {
  return field(name, label, 'combobox', { length: 255, picklistValues: values(list), ...extras });
}

/** A lookup: always indexed, with the parent relationship name and (if any) the child one. */
function reference(
  name: string,
  label: string,
  referenceTo: string[],
  relationshipName: string,
  extras: Extras = {},
): FieldDefinition {
  return field(name, label, 'reference', {
    length: 18,
    referenceTo,
    relationshipName,
    indexed: true,
    ...extras,
  });
}

/** Id, IsDeleted and the audit fields every object carries. */
export function systemFields(idLabel: string): FieldDefinition[] {
  const audit: Extras = { ...READ_ONLY, nillable: false, defaultedOnCreate: true };
  return [
    field('Id', idLabel, 'id', { length: 18, ...READ_ONLY, nillable: false, indexed: true, idLookup: true }),
    bool('IsDeleted', 'Deleted', false, READ_ONLY),
    datetime('CreatedDate', 'Created Date', audit),
    reference('CreatedById', 'Created By ID', ['User'], 'CreatedBy', audit),
    datetime('LastModifiedDate', 'Last Modified Date', audit),
    reference('LastModifiedById', 'Last Modified By ID', ['User'], 'LastModifiedBy', audit),
    datetime('SystemModstamp', 'System Modstamp', audit),
  ];
}

export function ownerField(label = 'Owner ID'): FieldDefinition {
  return reference('OwnerId', label, ['User'], 'Owner', { nillable: false, defaultedOnCreate: true });
}

/**
 * The components of a compound address and the compound field itself. `compoundFieldName` is set
 * on each component and names the compound field (`BillingStreet` → `BillingAddress`), as in describe.
 */
function addressFields(prefix: string, labelPrefix: string, extras: Extras = {}): FieldDefinition[] {
  const compound = `${prefix}Address`;
  const label = (suffix: string) => (labelPrefix ? `${labelPrefix} ${suffix}` : suffix);
  const part: Extras = { compoundFieldName: compound, searchGroup: 'other', ...extras };
  const geo: Extras = { compoundFieldName: compound, ...extras };
  return [
    textarea(`${prefix}Street`, label('Street'), 255, part),
    text(`${prefix}City`, label('City'), 40, part),
    text(`${prefix}State`, label('State/Province'), 80, part),
    text(`${prefix}PostalCode`, label('Zip/Postal Code'), 20, part),
    text(`${prefix}Country`, label('Country'), 80, part),
    double(`${prefix}Latitude`, label('Latitude'), 18, 15, geo),
    double(`${prefix}Longitude`, label('Longitude'), 18, 15, geo),
    picklist(`${prefix}GeocodeAccuracy`, label('Geocode Accuracy'), GEOCODE_ACCURACY, {
      restrictedPicklist: true,
      ...geo,
    }),
    field(compound, label('Address'), 'address', { ...READ_ONLY, ...UNFILTERABLE }),
  ];
}

type ObjectOptions = Partial<
  Omit<ObjectDefinition, 'name' | 'label' | 'labelPlural' | 'keyPrefix' | 'fields'>
> & {
  /** Label of OwnerId when it is not "Owner ID" (Task: "Assigned To ID"). */
  ownerLabel?: string;
};

function object(
  name: string,
  label: string,
  labelPlural: string,
  keyPrefix: string,
  options: ObjectOptions,
  fields: FieldDefinition[],
): ObjectDefinition {
  const { ownerLabel, ...flags } = options;
  const owned = flags.owned ?? false;
  return {
    name,
    label,
    labelPlural,
    keyPrefix,
    createable: true,
    updateable: true,
    deletable: true,
    queryable: true,
    searchable: true,
    retrieveable: true,
    ...flags,
    owned,
    fields: [...systemFields(`${label} ID`), ...(owned ? [ownerField(ownerLabel)] : []), ...fields],
  };
}

// ---------------------------------------------------------------------------------------------
// Shared value sets
// ---------------------------------------------------------------------------------------------

const GEOCODE_ACCURACY = [
  'Address',
  'NearAddress',
  'Block',
  'Street',
  'ExtendedZip',
  'Zip',
  'Neighborhood',
  'City',
  'County',
  'State',
  'Unknown',
];

const INDUSTRY = [
  'Agriculture',
  'Apparel',
  'Banking',
  'Biotechnology',
  'Chemicals',
  'Communications',
  'Construction',
  'Consulting',
  'Education',
  'Electronics',
  'Energy',
  'Engineering',
  'Entertainment',
  'Environmental',
  'Finance',
  'Food & Beverage',
  'Government',
  'Healthcare',
  'Hospitality',
  'Insurance',
  'Machinery',
  'Manufacturing',
  'Media',
  'Not For Profit',
  'Recreation',
  'Retail',
  'Shipping',
  'Technology',
  'Telecommunications',
  'Transportation',
  'Utilities',
  'Other',
];

const LEAD_SOURCE = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
const RATING = ['Hot', 'Warm', 'Cold'];
const SALUTATION = ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.'];

const TIME_ZONES: PickEntry[] = [
  { value: 'Pacific/Honolulu', label: '(GMT-10:00) Hawaii-Aleutian Standard Time (Pacific/Honolulu)' },
  { value: 'America/Anchorage', label: '(GMT-09:00) Alaska Standard Time (America/Anchorage)' },
  { value: 'America/Los_Angeles', label: '(GMT-08:00) Pacific Standard Time (America/Los_Angeles)' },
  { value: 'America/Denver', label: '(GMT-07:00) Mountain Standard Time (America/Denver)' },
  { value: 'America/Phoenix', label: '(GMT-07:00) Mountain Standard Time (America/Phoenix)' },
  { value: 'America/Chicago', label: '(GMT-06:00) Central Standard Time (America/Chicago)' },
  { value: 'America/New_York', label: '(GMT-05:00) Eastern Standard Time (America/New_York)' },
  { value: 'America/Sao_Paulo', label: '(GMT-03:00) Brasilia Standard Time (America/Sao_Paulo)' },
  { value: 'GMT', label: '(GMT+00:00) Greenwich Mean Time (GMT)' },
  { value: 'Europe/London', label: '(GMT+00:00) Greenwich Mean Time (Europe/London)' },
  { value: 'Europe/Paris', label: '(GMT+01:00) Central European Standard Time (Europe/Paris)' },
  { value: 'Europe/Berlin', label: '(GMT+01:00) Central European Standard Time (Europe/Berlin)' },
  { value: 'Asia/Kolkata', label: '(GMT+05:30) India Standard Time (Asia/Kolkata)' },
  { value: 'Asia/Singapore', label: '(GMT+08:00) Singapore Standard Time (Asia/Singapore)' },
  { value: 'Asia/Tokyo', label: '(GMT+09:00) Japan Standard Time (Asia/Tokyo)' },
  { value: 'Australia/Sydney', label: '(GMT+11:00) Australian Eastern Daylight Time (Australia/Sydney)' },
];

const LOCALES: PickEntry[] = [
  { value: 'en_US', label: 'English (United States)' },
  { value: 'en_GB', label: 'English (United Kingdom)' },
  { value: 'en_CA', label: 'English (Canada)' },
  { value: 'en_AU', label: 'English (Australia)' },
  { value: 'de_DE', label: 'German (Germany)' },
  { value: 'fr_FR', label: 'French (France)' },
  { value: 'es_ES', label: 'Spanish (Spain)' },
  { value: 'it_IT', label: 'Italian (Italy)' },
  { value: 'ja_JP', label: 'Japanese (Japan)' },
  { value: 'pt_BR', label: 'Portuguese (Brazil)' },
];

const LANGUAGES: PickEntry[] = [
  { value: 'en_US', label: 'English' },
  { value: 'en_GB', label: 'English (UK)' },
  { value: 'de', label: 'German' },
  { value: 'fr', label: 'French' },
  { value: 'es', label: 'Spanish' },
  { value: 'it', label: 'Italian' },
  { value: 'ja', label: 'Japanese' },
  { value: 'pt_BR', label: 'Portuguese (Brazil)' },
];

const EMAIL_ENCODINGS: PickEntry[] = [
  { value: 'UTF-8', label: 'Unicode (UTF-8)' },
  { value: 'ISO-8859-1', label: 'General US & Western Europe (ISO-8859-1, ISO-LATIN-1)' },
  { value: 'Shift_JIS', label: 'Japanese (Shift-JIS)' },
  { value: 'ISO-2022-JP', label: 'Japanese (JIS)' },
  { value: 'EUC-JP', label: 'Japanese (EUC)' },
  { value: 'ks_c_5601-1987', label: 'Korean (ks_c_5601-1987)' },
  { value: 'Big5', label: 'Traditional Chinese (Big5)' },
  { value: 'GB2312', label: 'Simplified Chinese (GB2312)' },
];

const ACTIVITY_PARENTS = ['Account', 'Opportunity', 'Case'];
const ACTIVITY_WHO = ['Contact', 'Lead'];
const NOTE_PARENTS = ['Account', 'Contact', 'Lead', 'Opportunity', 'Case'];
/** Cascade: deleting the parent deletes its activities, notes, contact roles and file links. */
const CASCADE: Extras = { cascadeDelete: true };

// ---------------------------------------------------------------------------------------------
// Objects
// ---------------------------------------------------------------------------------------------

const user = object(
  'User',
  'User',
  'Users',
  '005',
  { createable: false, updateable: false, deletable: false },
  [
    text('Username', 'Username', 80, {
      ...REQUIRED,
      unique: true,
      idLookup: true,
      indexed: true,
      searchGroup: 'other',
    }),
    text('LastName', 'Last Name', 80, { ...REQUIRED, searchGroup: 'name' }),
    text('FirstName', 'First Name', 40, { searchGroup: 'name' }),
    text('Name', 'Full Name', 121, {
      ...CALC,
      nillable: false,
      nameField: true,
      indexed: true,
      searchGroup: 'name',
    }),
    text('CompanyName', 'Company Name', 80, { searchGroup: 'other' }),
    text('Division', 'Division', 80, { searchGroup: 'other' }),
    text('Department', 'Department', 80, { searchGroup: 'other' }),
    text('Title', 'Title', 80, { searchGroup: 'other' }),
    ...addressFields('', ''),
    email('Email', 'Email', { length: 128, ...REQUIRED }),
    phone('Phone', 'Phone'),
    phone('Fax', 'Fax'),
    phone('MobilePhone', 'Mobile'),
    text('Alias', 'Alias', 8, { ...REQUIRED, searchGroup: 'other' }),
    text('CommunityNickname', 'Nickname', 40, { unique: true, searchGroup: 'other' }),
    bool('IsActive', 'Active', true),
    picklist('TimeZoneSidKey', 'Time Zone', TIME_ZONES, {
      ...REQUIRED,
      restrictedPicklist: true,
      length: 40,
    }),
    reference('UserRoleId', 'Role ID', ['UserRole'], 'UserRole'),
    picklist('LocaleSidKey', 'Locale', LOCALES, { ...REQUIRED, restrictedPicklist: true, length: 40 }),
    picklist('EmailEncodingKey', 'Email Encoding', EMAIL_ENCODINGS, {
      ...REQUIRED,
      restrictedPicklist: true,
      length: 40,
    }),
    reference('ProfileId', 'Profile ID', ['Profile'], 'Profile', REQUIRED),
    picklist(
      'UserType',
      'User Type',
      [
        { value: 'Standard', label: 'Standard' },
        { value: 'PowerPartner', label: 'Partner' },
        { value: 'PowerCustomerSuccess', label: 'Customer Portal Manager' },
        { value: 'CustomerSuccess', label: 'Customer Portal User' },
        { value: 'Guest', label: 'Guest' },
        { value: 'CspLitePortal', label: 'High Volume Portal' },
        { value: 'CsnOnly', label: 'Chatter Free User' },
        { value: 'SelfService', label: 'Self Service' },
      ],
      { ...READ_ONLY, restrictedPicklist: true, length: 40 },
    ),
    picklist('LanguageLocaleKey', 'Language', LANGUAGES, {
      ...REQUIRED,
      restrictedPicklist: true,
      length: 40,
    }),
    text('EmployeeNumber', 'Employee Number', 20, { searchGroup: 'other' }),
    reference('ManagerId', 'Manager ID', ['User'], 'Manager'),
    datetime('LastLoginDate', 'Last Login', READ_ONLY),
    text('FederationIdentifier', 'SAML Federation ID', 512, { searchGroup: 'other' }),
    textarea('AboutMe', 'About Me', 1000, { searchGroup: 'other' }),
    reference('ContactId', 'Contact ID', ['Contact'], 'Contact'),
    reference('AccountId', 'Account ID', ['Account'], 'Account', CALC),
  ],
);

const organization = object(
  'Organization',
  'Organization',
  'Organizations',
  '00D',
  { createable: false, updateable: false, deletable: false, searchable: false },
  [
    text('Name', 'Name', 80, { ...READ_ONLY, nillable: false, nameField: true, indexed: true }),
    text('Division', 'Division', 80, READ_ONLY),
    // Organization is not searchable, so its text fields carry no search group.
    ...addressFields('', '', READ_ONLY).map(({ searchGroup: _unused, ...rest }) => rest),
    field('Phone', 'Phone', 'phone', { length: 40, ...READ_ONLY }),
    field('Fax', 'Fax', 'phone', { length: 40, ...READ_ONLY }),
    text('PrimaryContact', 'Primary Contact', 80, READ_ONLY),
    picklist('DefaultLocaleSidKey', 'Locale', LOCALES, {
      ...READ_ONLY,
      nillable: false,
      restrictedPicklist: true,
    }),
    picklist('TimeZoneSidKey', 'Time Zone', TIME_ZONES, {
      ...READ_ONLY,
      nillable: false,
      restrictedPicklist: true,
    }),
    picklist('LanguageLocaleKey', 'Language', LANGUAGES, {
      ...READ_ONLY,
      nillable: false,
      restrictedPicklist: true,
    }),
    bool('ReceivesInfoEmails', 'Info Emails', false, READ_ONLY),
    bool('ReceivesAdminInfoEmails', 'Info Emails Admin', false, READ_ONLY),
    int('FiscalYearStartMonth', 'Fiscal Year Starts In', 2, READ_ONLY),
    bool('UsesStartDateAsFiscalYearName', 'Fiscal Year Name by Start', false, READ_ONLY),
    picklist(
      'OrganizationType',
      'Edition',
      [
        'Team Edition',
        'Professional Edition',
        'Enterprise Edition',
        'Developer Edition',
        'Personal Edition',
        'Unlimited Edition',
        'Contact Manager Edition',
        'Base Edition',
      ],
      { ...READ_ONLY, restrictedPicklist: true },
    ),
    text('NamespacePrefix', 'Namespace Prefix', 15, READ_ONLY),
    text('InstanceName', 'Instance Name', 5, READ_ONLY),
    bool('IsSandbox', 'Is Sandbox', false, READ_ONLY),
    bool('IsReadOnly', 'Is Read Only', false, READ_ONLY),
    datetime('TrialExpirationDate', 'Trial Expiration Date', READ_ONLY),
    text('SignupCountryIsoCode', 'Signup Country', 2, READ_ONLY),
    int('MonthlyPageViewsUsed', 'Monthly Page Views Used', 9, READ_ONLY),
    int('MonthlyPageViewsEntitlement', 'Monthly Page Views Allowed', 9, READ_ONLY),
  ],
);

/**
 * Profiles are readable through the API (`SELECT Profile.Name FROM User`) but managed in Setup, so
 * no API user creates, edits or deletes them. One record per profile of the org's security model.
 */
const profile = object(
  'Profile',
  'Profile',
  'Profiles',
  '00e',
  { createable: false, updateable: false, deletable: false, searchable: false },
  [
    text('Name', 'Name', 255, { ...READ_ONLY, nillable: false, nameField: true, indexed: true }),
    picklist(
      'UserType',
      'User Type',
      [
        { value: 'Standard', label: 'Standard' },
        { value: 'PowerPartner', label: 'Partner' },
        { value: 'CsnOnly', label: 'Chatter Free User' },
        { value: 'Guest', label: 'Guest' },
      ],
      { ...READ_ONLY, restrictedPicklist: true, length: 40 },
    ),
    text('Description', 'Description', 255, READ_ONLY),
  ],
);

const account = object('Account', 'Account', 'Accounts', '001', { owned: true }, [
  reference('MasterRecordId', 'Master Record ID', ['Account'], 'MasterRecord', READ_ONLY),
  text('Name', 'Account Name', 255, { ...REQUIRED, nameField: true, indexed: true, searchGroup: 'name' }),
  picklist('Type', 'Account Type', [
    'Prospect',
    'Customer - Direct',
    'Customer - Channel',
    'Channel Partner / Reseller',
    'Installation Partner',
    'Technology Partner',
    'Other',
  ]),
  reference('ParentId', 'Parent Account ID', ['Account'], 'Parent', {
    childRelationshipName: 'ChildAccounts',
  }),
  ...addressFields('Billing', 'Billing'),
  ...addressFields('Shipping', 'Shipping'),
  phone('Phone', 'Account Phone'),
  phone('Fax', 'Account Fax'),
  text('AccountNumber', 'Account Number', 40, { searchGroup: 'other' }),
  url('Website', 'Website'),
  url('PhotoUrl', 'Photo URL', READ_ONLY),
  text('Sic', 'SIC Code', 20, { searchGroup: 'other' }),
  picklist('Industry', 'Industry', INDUSTRY),
  currency('AnnualRevenue', 'Annual Revenue', 18, 0),
  int('NumberOfEmployees', 'Employees', 8),
  picklist('Ownership', 'Ownership', ['Public', 'Private', 'Subsidiary', 'Other']),
  text('TickerSymbol', 'Ticker Symbol', 20, { searchGroup: 'other' }),
  textarea('Description', 'Account Description', 32000, { searchGroup: 'other' }),
  picklist('Rating', 'Account Rating', RATING),
  text('Site', 'Account Site', 80, { searchGroup: 'other' }),
  picklist('AccountSource', 'Account Source', LEAD_SOURCE),
  text('SicDesc', 'SIC Description', 80, { searchGroup: 'other' }),
  date('LastActivityDate', 'Last Activity', READ_ONLY),
  datetime('LastViewedDate', 'Last Viewed Date', READ_ONLY),
  datetime('LastReferencedDate', 'Last Referenced Date', READ_ONLY),
]);

const contact = object('Contact', 'Contact', 'Contacts', '003', { owned: true }, [
  reference('MasterRecordId', 'Master Record ID', ['Contact'], 'MasterRecord', READ_ONLY),
  reference('AccountId', 'Account ID', ['Account'], 'Account', {
    childRelationshipName: 'Contacts',
    cascadeDelete: true,
  }),
  text('LastName', 'Last Name', 80, { ...REQUIRED, searchGroup: 'name' }),
  text('FirstName', 'First Name', 40, { searchGroup: 'name' }),
  picklist('Salutation', 'Salutation', SALUTATION, { length: 40 }),
  text('Name', 'Full Name', 121, {
    ...CALC,
    nillable: false,
    nameField: true,
    indexed: true,
    searchGroup: 'name',
  }),
  ...addressFields('Other', 'Other'),
  ...addressFields('Mailing', 'Mailing'),
  phone('Phone', 'Business Phone'),
  phone('Fax', 'Business Fax'),
  phone('MobilePhone', 'Mobile Phone'),
  phone('HomePhone', 'Home Phone'),
  phone('OtherPhone', 'Other Phone'),
  phone('AssistantPhone', 'Asst. Phone'),
  reference('ReportsToId', 'Reports To ID', ['Contact'], 'ReportsTo'),
  email('Email', 'Email'),
  text('Title', 'Title', 128, { searchGroup: 'other' }),
  text('Department', 'Department', 80, { searchGroup: 'other' }),
  text('AssistantName', 'Assistant', 40, { searchGroup: 'other' }),
  picklist('LeadSource', 'Lead Source', LEAD_SOURCE),
  date('Birthdate', 'Birthdate'),
  textarea('Description', 'Contact Description', 32000, { searchGroup: 'other' }),
  bool('HasOptedOutOfEmail', 'Email Opt Out'),
  bool('HasOptedOutOfFax', 'Fax Opt Out'),
  bool('DoNotCall', 'Do Not Call'),
  date('LastActivityDate', 'Last Activity', READ_ONLY),
  datetime('LastCURequestDate', 'Last Stay-in-Touch Request Date', READ_ONLY),
  datetime('LastCUUpdateDate', 'Last Stay-in-Touch Save Date', READ_ONLY),
  datetime('LastViewedDate', 'Last Viewed Date', READ_ONLY),
  datetime('LastReferencedDate', 'Last Referenced Date', READ_ONLY),
  text('EmailBouncedReason', 'Email Bounced Reason', 255, { searchGroup: 'other' }),
  datetime('EmailBouncedDate', 'Email Bounced Date'),
  bool('IsEmailBounced', 'Is Email Bounced', false, READ_ONLY),
]);

const lead = object('Lead', 'Lead', 'Leads', '00Q', { owned: true }, [
  reference('MasterRecordId', 'Master Record ID', ['Lead'], 'MasterRecord', READ_ONLY),
  text('LastName', 'Last Name', 80, { ...REQUIRED, searchGroup: 'name' }),
  text('FirstName', 'First Name', 40, { searchGroup: 'name' }),
  picklist('Salutation', 'Salutation', SALUTATION, { length: 40 }),
  text('Name', 'Full Name', 121, {
    ...CALC,
    nillable: false,
    nameField: true,
    indexed: true,
    searchGroup: 'name',
  }),
  text('Title', 'Title', 128, { searchGroup: 'other' }),
  text('Company', 'Company', 255, { ...REQUIRED, searchGroup: 'other' }),
  ...addressFields('', ''),
  phone('Phone', 'Phone'),
  phone('MobilePhone', 'Mobile Phone'),
  phone('Fax', 'Fax'),
  email('Email', 'Email'),
  url('Website', 'Website'),
  url('PhotoUrl', 'Photo URL', READ_ONLY),
  textarea('Description', 'Description', 32000, { searchGroup: 'other' }),
  picklist('LeadSource', 'Lead Source', LEAD_SOURCE),
  picklist(
    'Status',
    'Status',
    [
      { value: 'Open - Not Contacted', default: true },
      { value: 'Working - Contacted' },
      { value: 'Closed - Converted', converted: true },
      { value: 'Closed - Not Converted' },
    ],
    { ...REQUIRED, restrictedPicklist: true, length: 40 },
  ),
  picklist('Industry', 'Industry', INDUSTRY),
  picklist('Rating', 'Rating', RATING),
  currency('AnnualRevenue', 'Annual Revenue', 18, 0),
  int('NumberOfEmployees', 'Employees', 8),
  bool('HasOptedOutOfEmail', 'Email Opt Out'),
  bool('HasOptedOutOfFax', 'Fax Opt Out'),
  bool('DoNotCall', 'Do Not Call'),
  bool('IsConverted', 'Converted', false, READ_ONLY),
  date('ConvertedDate', 'Converted Date', READ_ONLY),
  reference('ConvertedAccountId', 'Converted Account ID', ['Account'], 'ConvertedAccount', READ_ONLY),
  reference('ConvertedContactId', 'Converted Contact ID', ['Contact'], 'ConvertedContact', READ_ONLY),
  reference(
    'ConvertedOpportunityId',
    'Converted Opportunity ID',
    ['Opportunity'],
    'ConvertedOpportunity',
    READ_ONLY,
  ),
  bool('IsUnreadByOwner', 'Unread By Owner'),
  date('LastActivityDate', 'Last Activity', READ_ONLY),
  datetime('LastViewedDate', 'Last Viewed Date', READ_ONLY),
  datetime('LastReferencedDate', 'Last Referenced Date', READ_ONLY),
  text('EmailBouncedReason', 'Email Bounced Reason', 255, { searchGroup: 'other' }),
  datetime('EmailBouncedDate', 'Email Bounced Date'),
]);

const opportunity = object('Opportunity', 'Opportunity', 'Opportunities', '006', { owned: true }, [
  reference('AccountId', 'Account ID', ['Account'], 'Account', {
    childRelationshipName: 'Opportunities',
    cascadeDelete: true,
  }),
  bool('IsPrivate', 'Private'),
  text('Name', 'Name', 120, { ...REQUIRED, nameField: true, indexed: true, searchGroup: 'name' }),
  textarea('Description', 'Description', 32000, { searchGroup: 'other' }),
  picklist(
    'StageName',
    'Stage',
    [
      { value: 'Prospecting', probability: 10, forecastCategory: 'Pipeline', closed: false, won: false },
      { value: 'Qualification', probability: 10, forecastCategory: 'Pipeline', closed: false, won: false },
      { value: 'Needs Analysis', probability: 20, forecastCategory: 'Pipeline', closed: false, won: false },
      {
        value: 'Value Proposition',
        probability: 50,
        forecastCategory: 'Pipeline',
        closed: false,
        won: false,
      },
      {
        value: 'Id. Decision Makers',
        probability: 60,
        forecastCategory: 'Pipeline',
        closed: false,
        won: false,
      },
      {
        value: 'Perception Analysis',
        probability: 70,
        forecastCategory: 'Pipeline',
        closed: false,
        won: false,
      },
      {
        value: 'Proposal/Price Quote',
        probability: 75,
        forecastCategory: 'Pipeline',
        closed: false,
        won: false,
      },
      {
        value: 'Negotiation/Review',
        probability: 90,
        forecastCategory: 'Pipeline',
        closed: false,
        won: false,
      },
      { value: 'Closed Won', probability: 100, forecastCategory: 'Closed', closed: true, won: true },
      { value: 'Closed Lost', probability: 0, forecastCategory: 'Omitted', closed: true, won: false },
    ],
    { ...REQUIRED, restrictedPicklist: true },
  ),
  currency('Amount', 'Amount', 16, 2),
  percent('Probability', 'Probability (%)', 3, 0, { defaultedOnCreate: true }),
  currency('ExpectedRevenue', 'Expected Amount', 16, 2, CALC),
  double('TotalOpportunityQuantity', 'Quantity', 16, 2),
  date('CloseDate', 'Close Date', REQUIRED),
  picklist('Type', 'Opportunity Type', [
    'Existing Customer - Upgrade',
    'Existing Customer - Replacement',
    'Existing Customer - Downgrade',
    'New Customer',
  ]),
  text('NextStep', 'Next Step', 255, { searchGroup: 'other' }),
  picklist('LeadSource', 'Lead Source', LEAD_SOURCE),
  bool('IsClosed', 'Closed', false, CALC),
  bool('IsWon', 'Won', false, CALC),
  picklist(
    'ForecastCategory',
    'Forecast Category',
    [
      { value: 'Omitted', label: 'Omitted' },
      { value: 'Pipeline', label: 'Pipeline' },
      { value: 'BestCase', label: 'Best Case' },
      { value: 'Forecast', label: 'Commit' },
      { value: 'Closed', label: 'Closed' },
    ],
    { ...CALC, restrictedPicklist: true, length: 40 },
  ),
  picklist(
    'ForecastCategoryName',
    'Forecast Category',
    ['Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed'],
    {
      restrictedPicklist: true,
      defaultedOnCreate: true,
    },
  ),
  reference('ContactId', 'Contact ID', ['Contact'], 'Contact', { childRelationshipName: 'Opportunities' }),
  bool('HasOpportunityLineItem', 'Has Line Item', false, READ_ONLY),
  bool('HasOpenActivity', 'Has Open Activity', false, CALC),
  bool('HasOverdueTask', 'Has Overdue Task', false, CALC),
  int('FiscalQuarter', 'Fiscal Quarter', 11, CALC),
  int('FiscalYear', 'Fiscal Year', 11, CALC),
  text('Fiscal', 'Fiscal Period', 6, CALC),
  date('LastActivityDate', 'Last Activity', READ_ONLY),
  datetime('LastStageChangeDate', 'Last Stage Change Date', READ_ONLY),
  datetime('LastViewedDate', 'Last Viewed Date', READ_ONLY),
  datetime('LastReferencedDate', 'Last Referenced Date', READ_ONLY),
]);

const opportunityContactRole = object(
  'OpportunityContactRole',
  'Contact Role',
  'Contact Roles',
  '00k',
  { searchable: false },
  [
    reference('OpportunityId', 'Opportunity ID', ['Opportunity'], 'Opportunity', {
      ...REQUIRED,
      updateable: false,
      childRelationshipName: 'OpportunityContactRoles',
      ...CASCADE,
    }),
    reference('ContactId', 'Contact ID', ['Contact'], 'Contact', {
      ...REQUIRED,
      childRelationshipName: 'OpportunityContactRoles',
      ...CASCADE,
    }),
    picklist('Role', 'Role', [
      'Business User',
      'Decision Maker',
      'Economic Buyer',
      'Economic Decision Maker',
      'Evaluator',
      'Executive Sponsor',
      'Influencer',
      'Technical Buyer',
      'Other',
    ]),
    bool('IsPrimary', 'Primary'),
  ],
);

const caseObject = object('Case', 'Case', 'Cases', '500', { owned: true }, [
  text('CaseNumber', 'Case Number', 30, {
    ...CALC,
    nillable: false,
    autoNumber: true,
    defaultedOnCreate: true,
    nameField: true,
    indexed: true,
    searchGroup: 'name',
  }),
  reference('ContactId', 'Contact ID', ['Contact'], 'Contact', { childRelationshipName: 'Cases' }),
  reference('AccountId', 'Account ID', ['Account'], 'Account', {
    childRelationshipName: 'Cases',
    cascadeDelete: true,
  }),
  reference('ParentId', 'Parent Case ID', ['Case'], 'Parent', { childRelationshipName: 'Cases' }),
  text('SuppliedName', 'Name', 80, { searchGroup: 'name' }),
  email('SuppliedEmail', 'Email Address'),
  phone('SuppliedPhone', 'Phone'),
  text('SuppliedCompany', 'Company', 80, { searchGroup: 'other' }),
  picklist('Type', 'Case Type', ['Mechanical', 'Electrical', 'Electronic', 'Structural', 'Other']),
  picklist(
    'Status',
    'Status',
    [
      { value: 'New', default: true },
      { value: 'Working' },
      { value: 'Escalated' },
      { value: 'Closed', closed: true },
    ],
    { restrictedPicklist: true, length: 40 },
  ),
  picklist('Reason', 'Case Reason', [
    'Installation',
    'Equipment Complexity',
    'Performance',
    'Breakdown',
    'Equipment Design',
    'Feedback',
    'Other',
  ]),
  picklist('Origin', 'Case Origin', ['Phone', 'Email', 'Web']),
  text('Subject', 'Subject', 255, { searchGroup: 'other' }),
  picklist(
    'Priority',
    'Priority',
    [{ value: 'High' }, { value: 'Medium', default: true }, { value: 'Low' }],
    {
      restrictedPicklist: true,
      length: 40,
    },
  ),
  textarea('Description', 'Description', 32000, { searchGroup: 'other' }),
  bool('IsClosed', 'Closed', false, CALC),
  datetime('ClosedDate', 'Closed Date', READ_ONLY),
  bool('IsEscalated', 'Escalated'),
  phone('ContactPhone', 'Contact Phone', CALC),
  phone('ContactMobile', 'Contact Mobile', CALC),
  email('ContactEmail', 'Contact Email', { ...CALC, indexed: false }),
  phone('ContactFax', 'Contact Fax', CALC),
  textarea('Comments', 'Internal Comments', 4000, { searchGroup: 'other' }),
  datetime('LastViewedDate', 'Last Viewed Date', READ_ONLY),
  datetime('LastReferencedDate', 'Last Referenced Date', READ_ONLY),
]);

const ACTIVITY_TYPE = ['Call', 'Meeting', 'Other', 'Email'];

const task = object('Task', 'Task', 'Tasks', '00T', { owned: true, ownerLabel: 'Assigned To ID' }, [
  reference('WhoId', 'Name ID', ACTIVITY_WHO, 'Who', { childRelationshipName: 'Tasks', ...CASCADE }),
  reference('WhatId', 'Related To ID', ACTIVITY_PARENTS, 'What', {
    childRelationshipName: 'Tasks',
    ...CASCADE,
  }),
  combobox('Subject', 'Subject', ['Call', 'Email', 'Send Letter', 'Send Quote', 'Other'], {
    nameField: true,
    searchGroup: 'name',
  }),
  date('ActivityDate', 'Due Date Only'),
  picklist(
    'Status',
    'Status',
    [
      { value: 'Not Started', default: true },
      { value: 'In Progress' },
      { value: 'Completed', closed: true },
      { value: 'Waiting on someone else' },
      { value: 'Deferred' },
    ],
    { ...REQUIRED, restrictedPicklist: true, length: 40 },
  ),
  picklist(
    'Priority',
    'Priority',
    [{ value: 'High' }, { value: 'Normal', default: true }, { value: 'Low' }],
    {
      ...REQUIRED,
      restrictedPicklist: true,
      length: 40,
    },
  ),
  bool('IsHighPriority', 'High Priority', false, CALC),
  textarea('Description', 'Description', 32000, { searchGroup: 'other' }),
  bool('IsClosed', 'Closed', false, CALC),
  reference('AccountId', 'Account ID', ['Account'], 'Account', CALC),
  bool('IsArchived', 'Archived', false, READ_ONLY),
  int('CallDurationInSeconds', 'Call Duration', 8),
  picklist('CallType', 'Call Type', ['Internal', 'Inbound', 'Outbound'], {
    length: 40,
    restrictedPicklist: true,
  }),
  text('CallDisposition', 'Call Result', 255, { searchGroup: 'other' }),
  text('CallObject', 'Call Object Identifier', 255, { searchGroup: 'other' }),
  datetime('ReminderDateTime', 'Reminder Date/Time'),
  bool('IsReminderSet', 'Reminder Set'),
  bool('IsRecurrence', 'Create Recurring Series of Tasks', false, { updateable: false }),
  picklist(
    'TaskSubtype',
    'Task Subtype',
    [{ value: 'Task', default: true }, 'Email', 'Call', 'ListEmail', 'Cadence'],
    { restrictedPicklist: true, updateable: false, length: 40 },
  ),
  datetime('CompletedDateTime', 'Completed Date/Time', CALC),
  picklist('Type', 'Type', ACTIVITY_TYPE, { length: 40 }),
]);

const event = object('Event', 'Event', 'Events', '00U', { owned: true, ownerLabel: 'Assigned To ID' }, [
  reference('WhoId', 'Name ID', ACTIVITY_WHO, 'Who', { childRelationshipName: 'Events', ...CASCADE }),
  reference('WhatId', 'Related To ID', ACTIVITY_PARENTS, 'What', {
    childRelationshipName: 'Events',
    ...CASCADE,
  }),
  combobox('Subject', 'Subject', ['Call', 'Email', 'Meeting', 'Send Letter/Quote', 'Other'], {
    nameField: true,
    searchGroup: 'name',
  }),
  text('Location', 'Location', 255, { searchGroup: 'other' }),
  bool('IsAllDayEvent', 'All-Day Event'),
  datetime('ActivityDateTime', 'Due Date Time'),
  date('ActivityDate', 'Due Date Only'),
  int('DurationInMinutes', 'Duration', 8),
  datetime('StartDateTime', 'Start Date Time'),
  datetime('EndDateTime', 'End Date Time'),
  date('EndDate', 'End Date', READ_ONLY),
  textarea('Description', 'Description', 32000, { searchGroup: 'other' }),
  reference('AccountId', 'Account ID', ['Account'], 'Account', CALC),
  bool('IsPrivate', 'Private'),
  picklist(
    'ShowAs',
    'Show Time As',
    [
      { value: 'Busy', default: true },
      { value: 'OutOfOffice', label: 'Out of Office' },
      { value: 'Free', label: 'Free' },
    ],
    { restrictedPicklist: true, length: 40 },
  ),
  bool('IsChild', 'Is Child', false, READ_ONLY),
  bool('IsGroupEvent', 'Group Event', false, READ_ONLY),
  bool('IsArchived', 'Archived', false, READ_ONLY),
  datetime('ReminderDateTime', 'Reminder Date/Time'),
  bool('IsReminderSet', 'Reminder Set'),
  bool('IsRecurrence', 'Create Recurring Series of Events', false, { updateable: false }),
  picklist('EventSubtype', 'Event Subtype', [{ value: 'Event', default: true }], {
    restrictedPicklist: true,
    updateable: false,
    length: 40,
  }),
  picklist('Type', 'Type', ACTIVITY_TYPE, { length: 40 }),
]);

const note = object('Note', 'Note', 'Notes', '002', { owned: true }, [
  reference('ParentId', 'Parent ID', NOTE_PARENTS, 'Parent', {
    ...REQUIRED,
    updateable: false,
    childRelationshipName: 'Notes',
    ...CASCADE,
  }),
  text('Title', 'Title', 80, { ...REQUIRED, nameField: true, indexed: true, searchGroup: 'name' }),
  bool('IsPrivate', 'Private'),
  textarea('Body', 'Body', 32000, { searchGroup: 'other' }),
]);

/** Fields ContentNote and ContentDocument share (both are views of the same 069 record). */
function contentFields(): FieldDefinition[] {
  return [
    text('FileType', 'File Type', 20, CALC),
    text('FileExtension', 'File Extension', 40, READ_ONLY),
    int('ContentSize', 'Size', 9, CALC),
    reference(
      'LatestPublishedVersionId',
      'Latest Published Version ID',
      ['ContentVersion'],
      'LatestPublishedVersion',
      {
        ...READ_ONLY,
      },
    ),
    datetime('ContentModifiedDate', 'Content Modified Date', READ_ONLY),
    picklist(
      'SharingPrivacy',
      'Sharing Privacy',
      [
        { value: 'N', label: 'Visible to Anyone With Record Access', default: true },
        { value: 'P', label: 'Private on Records' },
      ],
      { ...READ_ONLY, restrictedPicklist: true, length: 40 },
    ),
    datetime('LastViewedDate', 'Last Viewed Date', READ_ONLY),
  ];
}

const contentNote = object('ContentNote', 'Note', 'Notes', '069', { owned: true }, [
  text('Title', 'Title', 255, { ...REQUIRED, nameField: true, indexed: true, searchGroup: 'name' }),
  field('Content', 'Content', 'base64', UNFILTERABLE),
  text('TextPreview', 'Text Preview', 255, { ...CALC, searchGroup: 'other' }),
  bool('IsReadOnly', 'Is Read Only', false, READ_ONLY),
  reference('LatestContentId', 'Latest Content ID', ['ContentVersion'], 'LatestContent', READ_ONLY),
  ...contentFields(),
]);

const contentDocument = object(
  'ContentDocument',
  'Content Document',
  'Content Documents',
  '069',
  { owned: true, createable: false },
  [
    text('Title', 'Title', 255, { ...REQUIRED, nameField: true, indexed: true, searchGroup: 'name' }),
    textarea('Description', 'Description', 1000, { searchGroup: 'other' }),
    reference('ParentId', 'Library ID', ['ContentWorkspace'], 'Parent', READ_ONLY),
    picklist(
      'PublishStatus',
      'Publish Status',
      [
        { value: 'U', label: 'Upload Interrupted' },
        { value: 'P', label: 'Personal Library' },
        { value: 'R', label: 'Public' },
      ],
      { ...READ_ONLY, nillable: false, restrictedPicklist: true, length: 40 },
    ),
    bool('IsArchived', 'Is Archived', false, READ_ONLY),
    reference('ArchivedById', 'Archived By ID', ['User'], 'ArchivedBy', READ_ONLY),
    date('ArchivedDate', 'Archived Date', READ_ONLY),
    ...contentFields(),
  ],
);

const contentDocumentLink = object(
  'ContentDocumentLink',
  'Content Document Link',
  'Content Document Link',
  '06A',
  { searchable: false },
  [
    reference('LinkedEntityId', 'Linked Entity ID', [...NOTE_PARENTS, 'User'], 'LinkedEntity', {
      ...REQUIRED,
      updateable: false,
      childRelationshipName: 'ContentDocumentLinks',
      ...CASCADE,
    }),
    reference('ContentDocumentId', 'ContentDocument ID', ['ContentDocument'], 'ContentDocument', {
      ...REQUIRED,
      updateable: false,
      childRelationshipName: 'ContentDocumentLinks',
      ...CASCADE,
    }),
    picklist(
      'ShareType',
      'Share Type',
      [
        { value: 'V', label: 'Viewer Permission', default: true },
        { value: 'C', label: 'Collaborator Permission' },
        { value: 'I', label: 'Inferred Permission' },
      ],
      { nillable: false, restrictedPicklist: true, length: 40 },
    ),
    picklist(
      'Visibility',
      'Visibility',
      [
        { value: 'AllUsers', label: 'All Users', default: true },
        { value: 'InternalUsers', label: 'Standard Users' },
        { value: 'SharedUsers', label: 'Shared Users' },
      ],
      { restrictedPicklist: true, length: 40 },
    ),
  ],
);

export const standardObjects: ObjectDefinition[] = [
  user,
  organization,
  profile,
  account,
  contact,
  lead,
  opportunity,
  opportunityContactRole,
  caseObject,
  task,
  event,
  note,
  // ContentDocument owns the shared 069 prefix: a ContentNote's id is its ContentDocumentId.
  contentDocument,
  contentNote,
  contentDocumentLink,
];
