import { formatDate, formatDateTime, parseDateTime } from '../core/datetime.ts';
import { dmlError } from '../core/errors.ts';
import type { Org } from '../org/org.ts';
import type { SObjectType } from '../schema/schema.ts';
import type { PicklistValue, StoredRecord } from '../schema/types.ts';

/**
 * What the platform computes on save, per standard object: full names, opportunity stage
 * semantics, activity rules (WhoId/WhatId, Task.AccountId, Event times), case numbers, and
 * the ContentNote ↔ ContentDocument pairing. Mutates `record` before it is stored; `before` is
 * the stored record on update.
 */
export function applyDerivedFields(
  org: Org,
  object: SObjectType,
  record: StoredRecord,
  before: StoredRecord | undefined,
  userId: string,
): void {
  switch (object.name) {
    case 'Contact':
    case 'Lead':
    case 'User':
      record.Name = [record.FirstName, record.LastName]
        .filter((part) => typeof part === 'string' && part)
        .join(' ');
      break;
    case 'Opportunity':
      deriveOpportunity(object, record, before);
      break;
    case 'Task':
      deriveActivity(org, record);
      deriveTask(org, object, record, before);
      break;
    case 'Event':
      deriveActivity(org, record);
      deriveEvent(record);
      break;
    case 'Case':
      deriveCase(org, object, record, before);
      break;
    case 'ContentNote':
      deriveContentNote(org, record, before, userId);
      break;
    case 'ContentDocumentLink':
      if (!before) checkDuplicateLink(org, record);
      break;
  }
}

function picklistEntry(object: SObjectType, fieldName: string, value: unknown): PicklistValue | undefined {
  return object.fields
    .find((field) => field.name === fieldName)
    ?.picklistValues?.find((entry) => entry.value === value);
}

function deriveOpportunity(
  object: SObjectType,
  record: StoredRecord,
  before: StoredRecord | undefined,
): void {
  const stage = picklistEntry(object, 'StageName', record.StageName);
  record.IsClosed = stage?.closed === true;
  record.IsWon = stage?.won === true;
  const stageChanged = !before || before.StageName !== record.StageName;
  const probabilityGiven = before ? record.Probability !== before.Probability : record.Probability !== null;
  if (stageChanged && !probabilityGiven && stage?.probability !== undefined)
    record.Probability = stage.probability;
  if (stageChanged && stage?.forecastCategory) {
    record.ForecastCategory = stage.forecastCategory;
    record.ForecastCategoryName = stage.forecastCategory === 'Closed' ? 'Closed' : stage.forecastCategory;
  }
  const amount = typeof record.Amount === 'number' ? record.Amount : null;
  const probability = typeof record.Probability === 'number' ? record.Probability : null;
  record.ExpectedRevenue = amount !== null && probability !== null ? (amount * probability) / 100 : null;
}

/** Rules Task and Event share: a Lead in WhoId forbids a WhatId; AccountId follows WhatId, then WhoId. */
function deriveActivity(org: Org, record: StoredRecord): void {
  const whoId = typeof record.WhoId === 'string' ? record.WhoId : undefined;
  const whatId = typeof record.WhatId === 'string' ? record.WhatId : undefined;
  if (whoId?.startsWith('00Q') && whatId) {
    throw dmlError(
      'FIELD_INTEGRITY_EXCEPTION',
      'Related To ID: a lead in Name ID cannot be combined with a Related To record. Clear WhatId or use a contact.',
      ['WhatId'],
    );
  }
  let accountId: string | null = null;
  if (whatId) {
    const what = org.store.find(whatId);
    if (what?.object.name === 'Account') accountId = whatId;
    else if (what && typeof what.record.AccountId === 'string') accountId = what.record.AccountId;
  }
  if (!accountId && whoId?.startsWith('003')) {
    const contact = org.store.get('Contact', whoId);
    if (typeof contact?.AccountId === 'string') accountId = contact.AccountId;
  }
  record.AccountId = accountId;
}

function deriveTask(
  org: Org,
  object: SObjectType,
  record: StoredRecord,
  before: StoredRecord | undefined,
): void {
  const status = picklistEntry(object, 'Status', record.Status);
  record.IsClosed = status?.closed === true;
  record.IsHighPriority = record.Priority === 'High';
  if (record.IsClosed && before?.IsClosed !== true)
    record.CompletedDateTime = formatDateTime(org.clock.now());
  if (!record.IsClosed) record.CompletedDateTime = null;
}

/** An Event needs a start and either an end or a duration; the platform fills in the other. */
function deriveEvent(record: StoredRecord): void {
  if (record.IsAllDayEvent === true) {
    const day = typeof record.ActivityDate === 'string' ? record.ActivityDate : undefined;
    const start =
      day ?? (typeof record.StartDateTime === 'string' ? record.StartDateTime.slice(0, 10) : undefined);
    if (!start)
      throw dmlError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [ActivityDate]', [
        'ActivityDate',
      ]);
    record.ActivityDate = start;
    record.StartDateTime = `${start}T00:00:00.000+0000`;
    const days =
      typeof record.DurationInMinutes === 'number'
        ? Math.max(1, Math.round(record.DurationInMinutes / 1440))
        : 1;
    record.DurationInMinutes = days * 1440;
    record.EndDateTime = formatDateTime(parseDateTime(record.StartDateTime)! + (days * 1440 - 1) * 60_000);
    record.ActivityDateTime = null;
    return;
  }
  const startText = (record.StartDateTime ?? record.ActivityDateTime) as string | null;
  if (typeof startText !== 'string') {
    throw dmlError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [StartDateTime]', [
      'StartDateTime',
    ]);
  }
  const start = parseDateTime(startText)!;
  const end = typeof record.EndDateTime === 'string' ? parseDateTime(record.EndDateTime)! : undefined;
  const duration = typeof record.DurationInMinutes === 'number' ? record.DurationInMinutes : undefined;
  if (end === undefined && duration === undefined) {
    throw dmlError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [DurationInMinutes]', [
      'DurationInMinutes',
    ]);
  }
  let endTime: number;
  if (end !== undefined) {
    if (end < start) {
      throw dmlError(
        'FIELD_INTEGRITY_EXCEPTION',
        'End Date Time: End time cannot be earlier than the start time',
        ['EndDateTime'],
      );
    }
    endTime = end;
  } else {
    if (duration! < 0) {
      throw dmlError('FIELD_INTEGRITY_EXCEPTION', 'Duration: Duration cannot be negative', [
        'DurationInMinutes',
      ]);
    }
    endTime = start + duration! * 60_000;
  }
  record.StartDateTime = formatDateTime(start);
  record.ActivityDateTime = record.StartDateTime;
  record.ActivityDate = formatDate(start);
  record.EndDateTime = formatDateTime(endTime);
  record.DurationInMinutes = Math.round((endTime - start) / 60_000);
}

function deriveCase(
  org: Org,
  object: SObjectType,
  record: StoredRecord,
  before: StoredRecord | undefined,
): void {
  if (!before) {
    const sequence = org.store.table('Case').records.size + 1001;
    record.CaseNumber = String(sequence).padStart(8, '0');
  }
  const status = picklistEntry(object, 'Status', record.Status);
  record.IsClosed = status?.closed === true;
  if (record.IsClosed && before?.IsClosed !== true) record.ClosedDate = formatDateTime(org.clock.now());
  if (!record.IsClosed) record.ClosedDate = null;
}

function decodeNoteText(content: string): string {
  const html = Buffer.from(content, 'base64').toString('utf8');
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}

/** A ContentNote is a ContentDocument (same id) with file type SNOTE; keep the two in step. */
function deriveContentNote(
  org: Org,
  record: StoredRecord,
  before: StoredRecord | undefined,
  userId: string,
): void {
  const content = typeof record.Content === 'string' ? record.Content : '';
  record.TextPreview = decodeNoteText(content).slice(0, 255) || null;
  record.ContentSize = Buffer.from(content, 'base64').length;
  record.FileType = 'SNOTE';
  record.FileExtension = 'snote';
  record.ContentModifiedDate = record.LastModifiedDate;
  const document: StoredRecord = {
    Id: record.Id,
    IsDeleted: record.IsDeleted,
    CreatedDate: record.CreatedDate,
    CreatedById: record.CreatedById,
    LastModifiedDate: record.LastModifiedDate,
    LastModifiedById: userId,
    SystemModstamp: record.SystemModstamp,
    OwnerId: record.OwnerId,
    Title: record.Title,
    Description: null,
    ParentId: null,
    PublishStatus: 'P',
    IsArchived: false,
    ArchivedById: null,
    ArchivedDate: null,
    FileType: 'SNOTE',
    FileExtension: 'snote',
    ContentSize: record.ContentSize,
    LatestPublishedVersionId: null,
    ContentModifiedDate: record.ContentModifiedDate,
    SharingPrivacy: 'N',
    LastViewedDate: null,
  };
  if (before) org.store.update('ContentDocument', record.Id as string, document);
  else org.store.insert('ContentDocument', document);
}

function checkDuplicateLink(org: Org, record: StoredRecord): void {
  const links = org.store.table('ContentDocumentLink').lookup('ContentDocumentId', record.ContentDocumentId);
  for (const linkId of links ?? []) {
    const link = org.store.get('ContentDocumentLink', linkId);
    if (link && link.IsDeleted === false && link.LinkedEntityId === record.LinkedEntityId) {
      throw dmlError(
        'DUPLICATE_VALUE',
        `Document with ID: ${record.ContentDocumentId} is already linked with the entity with ID: ${record.LinkedEntityId}`,
        ['LinkedEntityId'],
      );
    }
  }
}
