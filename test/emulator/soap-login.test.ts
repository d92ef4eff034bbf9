import { XMLParser } from 'fast-xml-parser';
import { Connection } from 'jsforce';
import { describe, expect, it } from 'vitest';
import { API_VERSION, useTestOrg } from '../support/emulator.ts';

const parser = new XMLParser({ removeNSPrefix: true, parseTagValue: false });

const org = useTestOrg();

function envelope(body: string, header = ''): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:partner.soap.sforce.com">
  <soapenv:Header>${header}</soapenv:Header>
  <soapenv:Body>${body}</soapenv:Body>
</soapenv:Envelope>`;
}

async function soap(xml: string, path = `/services/Soap/u/${API_VERSION}`) {
  const response = await fetch(`${org.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/xml; charset=UTF-8', SOAPAction: 'login' },
    body: xml,
  });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: parsed XML, asserted field by field
  const body = (parser.parse(text) as any).Envelope.Body;
  return { status: response.status, contentType: response.headers.get('content-type'), body };
}

function loginXml(username: string, password: string): string {
  return envelope(
    `<urn:login><urn:username>${username}</urn:username><urn:password>${password}</urn:password></urn:login>`,
  );
}

describe('SOAP partner API', () => {
  it('logs in with jsforce conn.login, and the session works on REST', async () => {
    const conn = new Connection({ loginUrl: org.url, version: API_VERSION });
    const identity = await conn.login('alice@acme.demo', 'demo1234');
    expect(identity.organizationId).toBe(org.emulator.org.id);
    expect(identity.id).toBe(org.emulator.org.userIdByUsername('alice@acme.demo'));
    expect(conn.instanceUrl).toBe(org.url);
    const result = await conn.query<{ Username: string }>(
      "SELECT Username FROM User WHERE Username = 'alice@acme.demo'",
    );
    expect(result.records[0].Username).toBe('alice@acme.demo');
  });

  it('answers login with the documented result fields', async () => {
    const result = await soap(loginXml('bob@acme.demo', 'demo1234'));
    expect(result.status).toBe(200);
    expect(result.contentType).toBe('text/xml;charset=UTF-8');
    const login = result.body.loginResponse.result;
    const orgId = org.emulator.org.id;
    expect(login).toMatchObject({
      passwordExpired: 'false',
      sandbox: 'false',
      serverUrl: `${org.url}/services/Soap/u/${API_VERSION}/${orgId}`,
      metadataServerUrl: `${org.url}/services/Soap/m/${API_VERSION}/${orgId}`,
      userId: org.emulator.org.userIdByUsername('bob@acme.demo'),
    });
    expect(login.userInfo).toMatchObject({
      userName: 'bob@acme.demo',
      userFullName: 'Bob Seller',
      organizationId: orgId,
    });
    const rest = await fetch(`${org.dataUrl}/limits`, {
      headers: { Authorization: `Bearer ${login.sessionId}` },
    });
    expect(rest.status).toBe(200);
  });

  it('answers a wrong password with the INVALID_LOGIN fault (HTTP 500)', async () => {
    const result = await soap(loginXml('alice@acme.demo', 'wrong'));
    expect(result.status).toBe(500);
    const fault = result.body.Fault;
    expect(fault.faultcode).toBe('sf:INVALID_LOGIN');
    expect(fault.faultstring).toBe(
      'INVALID_LOGIN: Invalid username, password, security token; or user locked out.',
    );
    expect(fault.detail.LoginFault.exceptionCode).toBe('INVALID_LOGIN');
  });

  it('answers getUserInfo for the session header, and INVALID_SESSION_ID after logout', async () => {
    const login = (await soap(loginXml('carol@acme.demo', 'demo1234'))).body.loginResponse.result;
    const header = `<urn:SessionHeader><urn:sessionId>${login.sessionId}</urn:sessionId></urn:SessionHeader>`;
    const path = new URL(login.serverUrl).pathname;
    const info = await soap(envelope('<urn:getUserInfo/>', header), path);
    expect(info.status).toBe(200);
    expect(info.body.getUserInfoResponse.result.userName).toBe('carol@acme.demo');

    const logout = await soap(envelope('<urn:logout/>', header), path);
    expect(logout.status).toBe(200);
    expect(logout.body).toHaveProperty('logoutResponse');

    const after = await soap(envelope('<urn:getUserInfo/>', header), path);
    expect(after.status).toBe(500);
    expect(after.body.Fault.faultcode).toBe('sf:INVALID_SESSION_ID');
    const rest = await fetch(`${org.dataUrl}/limits`, {
      headers: { Authorization: `Bearer ${login.sessionId}` },
    });
    expect(rest.status).toBe(401);
  });

  it('refuses unknown operations, non-SOAP bodies and DTDs as client faults', async () => {
    const unknown = await soap(envelope('<urn:convertLead/>'));
    expect(unknown.status).toBe(500);
    expect(unknown.body.Fault.faultcode).toBe('soapenv:Client');
    expect(unknown.body.Fault.faultstring).toContain('convertLead');
    const garbage = await soap('not xml at all');
    expect(garbage.body.Fault.faultcode).toBe('soapenv:Client');
    const dtd = await soap(
      `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>${loginXml('alice@acme.demo', '&a;').replace(/^<\?xml[^>]*>/, '')}`,
    );
    expect(dtd.body.Fault.faultcode).toBe('soapenv:Client');
  });
});
