/**
 * What the send logs of a failed Salesforce call: a short, one-line summary (kind, code, status and
 * the first words of the message), never a whole answer — Salesforce's edge answers HTML pages, and
 * a message could quote what was sent.
 */
import { ServiceError } from '../../core/errors.ts';
import { SalesforceApiError } from '../../salesforce/errors.ts';

const MAX_MESSAGE_LENGTH = 160;

export interface ErrorSummary {
  kind: string;
  errorCode?: string;
  status?: number;
  message: string;
}

export function errorSummary(error: unknown): ErrorSummary {
  const kind = error instanceof Error ? error.name : typeof error;
  const raw = error instanceof Error ? error.message : String(error);
  const summary: ErrorSummary = { kind, message: shortText(raw) };
  if (error instanceof SalesforceApiError) summary.errorCode = error.salesforceErrorCode;
  else if (error instanceof ServiceError) summary.errorCode = error.code;
  if (error instanceof ServiceError) summary.status = error.status;
  return summary;
}

/** Markup and runs of white space removed, tokens redacted, cut to a line. */
function shortText(text: string): string {
  const plain = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\b(Bearer|access_token|refresh_token|sid)([=:\s]+)[^\s&"']+/gi, '$1$2[redacted]')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > MAX_MESSAGE_LENGTH ? `${plain.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : plain;
}
