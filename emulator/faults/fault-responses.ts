import { normalizeId } from '../core/ids.ts';
import type { FaultKind } from './fault-rule.ts';

const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';
const HTML_CONTENT_TYPE = 'text/html;charset=UTF-8';

/** The REST API's answer to a missing, expired or revoked session (the real one and the fault). */
export const INVALID_SESSION_BODY = [
  { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
];

/** The REST API's answer once the org's daily API request limit is spent (the real one and the fault). */
export const REQUEST_LIMIT_EXCEEDED_BODY = [
  { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
];

/** The faults answered with a response; the drop kinds never write one. */
export type AnsweredFaultKind = Exclude<FaultKind, 'latency' | 'drop-before' | 'drop-after'>;

export interface FaultResponseContext {
  /** The request's URL path: REST paths get JSON error arrays, other paths Salesforce's HTML pages. */
  path: string;
  /** The record the lock error names when the path carries none (e.g. a lookup in a create body). */
  lockedRecordId: string;
  /** Ties a 500's ErrorId to the request (Salesforce prints one for support to find the failure). */
  sequence: number;
  /** `Sforce-Limit-Info` and the like, for REST responses. */
  headers: Record<string, string>;
  /** A `validation-error` rule's errorCode, message and fields. */
  validation?: { errorCode?: string; message?: string; fields?: string[] };
}

function json(status: number, body: unknown, headers: Record<string, string>): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': JSON_CONTENT_TYPE, ...headers },
  });
}

function html(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { 'Content-Type': HTML_CONTENT_TYPE, ...headers } });
}

/** An ErrorId in Salesforce's shape, `1234567890-12345 (-1234567890)`, stable for a given request number. */
function errorId(sequence: number): string {
  const first = 1_000_000_000 + ((sequence * 48_271) % 999_999_999);
  const second = 10_000 + ((sequence * 7_919) % 89_999);
  return `${first}-${second} (-${2_000_000_000 - first})`;
}

function isRestPath(path: string): boolean {
  return /^\/services\/data(?:\/|$)/i.test(path);
}

/** The id in the path (`/sobjects/Task/00T…`), else undefined. */
export function recordIdInPath(path: string): string | undefined {
  for (const segment of path.split('/').reverse()) {
    if (!/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(segment) || !/\d/.test(segment)) continue;
    const id = normalizeId(segment);
    if (id) return id;
  }
  return undefined;
}

/** The first lookup id in a JSON request body (`WhatId`, `AccountId`, …): the parent a save locks. */
export function lookupIdInBody(body: unknown, depth = 0): string | undefined {
  if (depth > 6 || body === null || typeof body !== 'object') return undefined;
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string' && /Id$/.test(key) && key !== 'Id') {
      const id = normalizeId(value);
      if (id) return id;
    }
    const nested = lookupIdInBody(value, depth + 1);
    if (nested) return nested;
  }
  return undefined;
}

// The internal-error page Salesforce serves outside the REST API (login, OAuth), abridged.
function internalErrorPage(id: string): string {
  return `<!DOCTYPE html>
<html><head><title>Internal Server Error</title></head>
<body>
<h1>An internal server error has occurred</h1>
<p>An error has occurred while processing your request. The support team has been notified of the problem.
Please indicate the URL of the page you were requesting and the error id below if you contact support.</p>
<p>Error ID: ${id}</p>
</body></html>
`;
}

// What Salesforce's edge answers when the instance behind it fails or is in maintenance: an HTML
// page, whatever the client asked for. Clients must not try to parse it as JSON.
const BAD_GATEWAY_PAGE = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>sfdcedge</center>
</body>
</html>
`;

const SERVICE_UNAVAILABLE_PAGE = `<!DOCTYPE html>
<html><head><title>Service Unavailable</title></head>
<body>
<h1>Service Unavailable</h1>
<p>The Salesforce server is temporarily unavailable, for maintenance or because of a temporary
overload. Please try again later.</p>
</body></html>
`;

export function faultResponse(kind: AnsweredFaultKind, context: FaultResponseContext): Response {
  const rest = isRestPath(context.path);
  switch (kind) {
    case 'http-500':
      if (!rest) return html(500, internalErrorPage(errorId(context.sequence)));
      return json(
        500,
        [
          {
            errorCode: 'UNKNOWN_EXCEPTION',
            message: `An unexpected error occurred. Please include this ErrorId if you contact support: ${errorId(context.sequence)}`,
          },
        ],
        context.headers,
      );
    case 'http-502':
      return html(502, BAD_GATEWAY_PAGE);
    case 'http-503':
      return html(503, SERVICE_UNAVAILABLE_PAGE);
    case 'unable-to-lock-row': {
      const id = recordIdInPath(context.path) ?? context.lockedRecordId;
      return json(
        400,
        [
          {
            message: `unable to obtain exclusive access to this record or 1 records: ${id}`,
            errorCode: 'UNABLE_TO_LOCK_ROW',
            fields: [],
          },
        ],
        context.headers,
      );
    }
    case 'request-limit-exceeded':
      return json(403, REQUEST_LIMIT_EXCEEDED_BODY, context.headers);
    case 'validation-error': {
      // As Salesforce answers a DML refused by a validation rule, a required field, a trigger…
      const errorCode = context.validation?.errorCode ?? 'FIELD_CUSTOM_VALIDATION_EXCEPTION';
      return json(
        400,
        [
          {
            message: context.validation?.message ?? 'The record failed a validation rule.',
            errorCode,
            fields: context.validation?.fields ?? [],
          },
        ],
        context.headers,
      );
    }
    case 'invalid-session':
      return json(401, INVALID_SESSION_BODY, context.headers);
  }
}
