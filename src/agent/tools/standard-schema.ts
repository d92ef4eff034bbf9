/**
 * The standard objects and fields every Salesforce org has, whatever the connected user may see:
 * how classify-salesforce-error.ts tells "no access" from "no such name" (Salesforce answers both
 * alike). A declarative catalogue.
 */

function words(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

/** Standard fields of the objects the agent works with (present in every Salesforce org). */
export const STANDARD_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Account: words(
    'Name Type ParentId AccountNumber Site Industry AnnualRevenue NumberOfEmployees Ownership ' +
      'TickerSymbol Rating Phone Fax Website Description AccountSource BillingStreet BillingCity ' +
      'BillingState BillingPostalCode BillingCountry BillingAddress ShippingStreet ShippingCity ' +
      'ShippingState ShippingPostalCode ShippingCountry ShippingAddress LastActivityDate',
  ),
  Contact: words(
    'AccountId FirstName LastName Name Salutation Title Department Email Phone MobilePhone HomePhone ' +
      'OtherPhone Fax ReportsToId LeadSource Birthdate Description MailingStreet MailingCity ' +
      'MailingState MailingPostalCode MailingCountry MailingAddress AssistantName AssistantPhone ' +
      'LastActivityDate HasOptedOutOfEmail DoNotCall',
  ),
  Lead: words(
    'FirstName LastName Name Salutation Title Company Email Phone MobilePhone Website Status ' +
      'LeadSource Industry Rating AnnualRevenue NumberOfEmployees Description Street City State ' +
      'PostalCode Country Address IsConverted ConvertedAccountId ConvertedContactId ' +
      'ConvertedOpportunityId ConvertedDate LastActivityDate HasOptedOutOfEmail DoNotCall',
  ),
  Opportunity: words(
    'AccountId Name Description StageName Amount Probability ExpectedRevenue CloseDate Type NextStep ' +
      'LeadSource IsClosed IsWon ForecastCategory ForecastCategoryName CampaignId ' +
      'HasOpportunityLineItem Pricebook2Id LastActivityDate FiscalQuarter FiscalYear Fiscal',
  ),
  Case: words(
    'CaseNumber ContactId AccountId ParentId SuppliedName SuppliedEmail SuppliedPhone ' +
      'SuppliedCompany Type Status Reason Origin Subject Priority Description IsClosed ClosedDate ' +
      'IsEscalated ContactEmail ContactPhone',
  ),
  Task: words(
    'WhoId WhatId AccountId Subject ActivityDate Status Priority Description Type IsClosed ' +
      'IsHighPriority TaskSubtype CompletedDateTime ReminderDateTime IsReminderSet ' +
      'CallDurationInSeconds CallType CallDisposition',
  ),
  Event: words(
    'WhoId WhatId AccountId Subject Location IsAllDayEvent ActivityDateTime ActivityDate ' +
      'DurationInMinutes StartDateTime EndDateTime Description Type ShowAs IsPrivate EventSubtype ' +
      'ReminderDateTime IsReminderSet',
  ),
  User: words(
    'Username FirstName LastName Name Email Alias Title Department Phone MobilePhone IsActive ' +
      'ProfileId UserRoleId ManagerId TimeZoneSidKey LocaleSidKey LanguageLocaleKey EmailEncodingKey ' +
      'CompanyName LastLoginDate',
  ),
  Note: ['ParentId', 'Title', 'Body', 'IsPrivate'],
};

const SYSTEM_FIELDS = words(
  'Id IsDeleted CreatedDate CreatedById LastModifiedDate LastModifiedById SystemModstamp OwnerId',
);

export const STANDARD_OBJECTS: readonly string[] = words(
  'Account Contact Lead Opportunity Case Task Event User Note ContentNote ContentDocument ' +
    'ContentDocumentLink OpportunityContactRole Organization Profile',
);

const standardFieldIndex = new Map(
  Object.entries(STANDARD_FIELDS).map(([object, fields]) => [
    object.toLowerCase(),
    new Set([...fields, ...SYSTEM_FIELDS].map((field) => field.toLowerCase())),
  ]),
);

/** The default `fieldExists`: the catalogue above. A describe made with broad rights is better when available. */
export function isStandardField(objectName: string, fieldName: string): boolean {
  return standardFieldIndex.get(objectName.toLowerCase())?.has(fieldName.toLowerCase()) ?? false;
}
