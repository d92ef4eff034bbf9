/** The shapes the Salesforce adapter exchanges: results it returns and the schemas that check Salesforce's answers. */
import { z } from 'zod';

/** A describe (or describeGlobal) asked with `If-Modified-Since`. */
export type ConditionalDescribe =
  | { status: 'not-modified' }
  | { status: 'ok'; describe: Record<string, unknown>; lastModified: string | null };

export type SalesforceRecord = Record<string, unknown>;

export interface QueryResult<T extends SalesforceRecord = SalesforceRecord> {
  totalSize: number;
  done: boolean;
  records: T[];
  nextRecordsUrl?: string;
}

export interface SaveResult {
  id: string;
  success: boolean;
}

export interface CompositeSubrequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Relative to the instance, e.g. `/services/data/v66.0/sobjects/ContentNote`. */
  url: string;
  referenceId: string;
  body?: SalesforceRecord;
}

export interface CompositeResponse {
  compositeResponse: Array<{ body: unknown; httpStatusCode: number; referenceId: string }>;
}

/** What a write tells the audit log about itself (never field values). */
/**
 * A record's version as a read saw it: its ETag and Last-Modified. A conditional update or delete
 * sends them back (`If-Match`, else `If-Unmodified-Since`) and Salesforce answers 412
 * PRECONDITION_FAILED, writing nothing, when the record changed since.
 */
export interface RecordVersion {
  etag?: string;
  lastModified?: string;
}

export interface WriteTarget {
  objectType: string;
  recordIds?: string[];
}

export const saveResultSchema = z.object({ id: z.string().min(15), success: z.boolean() });
export const queryResultSchema = z.object({
  totalSize: z.number(),
  done: z.boolean(),
  records: z.array(z.record(z.string(), z.unknown())),
  nextRecordsUrl: z.string().optional(),
});
export const searchResultSchema = z.object({ searchRecords: z.array(z.record(z.string(), z.unknown())) });
export const limitsSchema = z.object({
  DailyApiRequests: z.object({ Max: z.number(), Remaining: z.number() }),
});
export const versionsSchema = z.array(z.object({ version: z.string() }));
export const compositeSchema = z.object({
  compositeResponse: z.array(
    z.object({ body: z.unknown(), httpStatusCode: z.number(), referenceId: z.string() }),
  ),
});
