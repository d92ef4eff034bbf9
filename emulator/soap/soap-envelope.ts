import { XMLParser } from 'fast-xml-parser';

export const SOAP_CONTENT_TYPE = 'text/xml;charset=UTF-8';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character]);
}

/** A value as a SOAP element: `xsi:nil` for null, text otherwise (booleans and numbers as their words). */
export function element(name: string, value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return `<${name} xsi:nil="true"/>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function envelope(namespaces: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ${namespaces} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
}

/** A partner API answer: `<{operation}Response>` holding `inner`. */
export function soapResponse(operation: string, inner: string): Response {
  return new Response(
    envelope('xmlns="urn:partner.soap.sforce.com"', `<${operation}Response>${inner}</${operation}Response>`),
    {
      status: 200,
      headers: { 'Content-Type': SOAP_CONTENT_TYPE },
    },
  );
}

export interface SoapFault {
  /** Salesforce's exception code (`INVALID_LOGIN`), or a SOAP code (`soapenv:Client`) with no detail. */
  code: string;
  message: string;
  /** The detail element's type: `LoginFault`, `UnexpectedErrorFault`, …; none for SOAP-level faults. */
  faultType?: string;
}

/** A SOAP fault, HTTP 500 as Salesforce answers every fault. */
export function soapFault({ code, message, faultType }: SoapFault): Response {
  const detail = faultType
    ? `<detail><sf:${faultType === 'LoginFault' ? 'LoginFault' : 'fault'} xsi:type="sf:${faultType}"><sf:exceptionCode>${escapeXml(code)}</sf:exceptionCode><sf:exceptionMessage>${escapeXml(message)}</sf:exceptionMessage></sf:${faultType === 'LoginFault' ? 'LoginFault' : 'fault'}></detail>`
    : '';
  const faultCode = faultType ? `sf:${code}` : code;
  const faultString = faultType ? `${code}: ${message}` : message;
  const body = `<soapenv:Fault><faultcode>${escapeXml(faultCode)}</faultcode><faultstring>${escapeXml(faultString)}</faultstring>${detail}</soapenv:Fault>`;
  return new Response(envelope('xmlns:sf="urn:fault.partner.soap.sforce.com"', body), {
    status: 500,
    headers: { 'Content-Type': SOAP_CONTENT_TYPE },
  });
}

export interface SoapRequest {
  /** The operation: the first element of the Body (`login`), without its namespace prefix. */
  operation: string;
  /** The operation element's children as text (`username`, `password`). */
  parameters: Record<string, unknown>;
  /** `SessionHeader/sessionId` from the SOAP Header, when there is one. */
  sessionId: string | undefined;
}

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  // The predefined entities only: a DOCTYPE is refused before parsing (see parseSoapRequest).
  processEntities: true,
  htmlEntities: false,
});

/** Reads a SOAP 1.1 envelope; undefined when the text is not one (a client error). */
export function parseSoapRequest(text: string): SoapRequest | undefined {
  // Salesforce refuses DTDs too; without one no entity can be declared, expanded or fetched.
  if (/<!DOCTYPE/i.test(text)) return undefined;
  let document: Record<string, unknown>;
  try {
    document = parser.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const envelopeNode = document.Envelope as Record<string, unknown> | undefined;
  const body = envelopeNode?.Body;
  if (!body || typeof body !== 'object') return undefined;
  const [operation] = Object.keys(body);
  if (!operation) return undefined;
  const value = (body as Record<string, unknown>)[operation];
  const header = envelopeNode?.Header as Record<string, Record<string, unknown>> | undefined;
  const sessionId = header?.SessionHeader?.sessionId;
  return {
    operation,
    parameters: value && typeof value === 'object' ? (value as Record<string, unknown>) : {},
    sessionId: typeof sessionId === 'string' ? sessionId : undefined,
  };
}
