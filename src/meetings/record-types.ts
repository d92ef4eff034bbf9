/**
 * The five Salesforce objects a meeting item can be sent to, and what Salesforce lets each one be
 * on an activity: a Contact or Lead is the "who" (WhoId), the others are the "what" (WhatId).
 */
export const LINKABLE_RECORD_TYPES = ['Lead', 'Account', 'Contact', 'Opportunity', 'Case'] as const;
export type LinkableRecordType = (typeof LINKABLE_RECORD_TYPES)[number];

/** Standard key prefixes: the first three characters of every id of that object in every org. */
export const KEY_PREFIXES: Readonly<Record<LinkableRecordType, string>> = {
  Lead: '00Q',
  Account: '001',
  Contact: '003',
  Opportunity: '006',
  Case: '500',
};

export const USER_KEY_PREFIX = '005';

export function isLinkableRecordType(value: unknown): value is LinkableRecordType {
  return typeof value === 'string' && (LINKABLE_RECORD_TYPES as readonly string[]).includes(value);
}

/** Which activity lookup a record goes in. */
export function activityLookupFor(type: LinkableRecordType): 'WhoId' | 'WhatId' {
  return type === 'Contact' || type === 'Lead' ? 'WhoId' : 'WhatId';
}

const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** A 15- or 18-character Salesforce id (the checksum of an 18-character id is Salesforce's to judge). */
export function isSalesforceId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

/** Key prefixes are case-sensitive in 15-character ids, so compare exactly. */
export function hasKeyPrefix(id: string, prefix: string): boolean {
  return id.startsWith(prefix);
}

/** Ids compared by their 15 case-sensitive characters: the 18-character form only adds a checksum. */
export function sameSalesforceId(left: string, right: string): boolean {
  return left.slice(0, 15) === right.slice(0, 15);
}
