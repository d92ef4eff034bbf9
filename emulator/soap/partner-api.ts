import { Hono } from 'hono';
import type { Org } from '../org/org.ts';
import { isSupportedVersion } from '../rest/versions.ts';
import { element, parseSoapRequest, soapFault, soapResponse } from './soap-envelope.ts';

/** The client id recorded on sessions from SOAP login (no connected app is involved). */
export const SOAP_CLIENT_ID = 'SOAP Partner API';

/** Scopes of a SOAP session: a full UI and API session, as Salesforce gives one. */
const SOAP_SESSION_SCOPES = ['api', 'web', 'full'];

const INVALID_LOGIN = {
  code: 'INVALID_LOGIN',
  message: 'Invalid username, password, security token; or user locked out.',
  faultType: 'LoginFault',
};

const INVALID_SESSION = {
  code: 'INVALID_SESSION_ID',
  message: 'Invalid Session ID found in SessionHeader: Illegal Session',
  faultType: 'UnexpectedErrorFault',
};

/** The `userInfo` of login and the result of getUserInfo, fields in the WSDL's order. */
function userInfoXml(org: Org, userId: string): string {
  const user = org.user(userId)!;
  const fields: Array<[string, string | number | boolean | null]> = [
    ['accessibilityMode', false],
    ['chatterExternal', false],
    ['currencySymbol', '$'],
    ['orgAttachmentFileSizeLimit', 5_242_880],
    ['orgDefaultCurrencyIsoCode', 'USD'],
    ['orgDefaultCurrencyLocale', 'en_US'],
    ['orgDisallowHtmlAttachments', false],
    ['orgHasPersonAccounts', false],
    ['organizationId', org.id],
    ['organizationMultiCurrency', false],
    ['organizationName', org.name],
    ['profileId', String(user.ProfileId)],
    ['roleId', null],
    ['sessionSecondsValid', org.sessionTimeoutSeconds],
    ['userDefaultCurrencyIsoCode', null],
    ['userEmail', String(user.Email ?? '')],
    ['userFullName', String(user.Name ?? '')],
    ['userId', userId],
    ['userLanguage', String(user.LanguageLocaleKey ?? 'en_US')],
    ['userLocale', String(user.LocaleSidKey ?? 'en_US')],
    ['userName', String(user.Username ?? '')],
    ['userTimeZone', String(user.TimeZoneSidKey ?? 'America/Los_Angeles')],
    ['userType', String(user.UserType ?? 'Standard')],
    ['userUiSkin', 'Theme3'],
  ];
  return fields.map(([name, value]) => element(name, value)).join('');
}

function login(org: Org, version: string, parameters: Record<string, unknown>): Response {
  const username = typeof parameters.username === 'string' ? parameters.username : '';
  const password = typeof parameters.password === 'string' ? parameters.password : '';
  const userId = org.authenticate(username, password);
  if (!userId) return soapFault(INVALID_LOGIN);
  const session = org.tokens.issueAccessToken(userId, SOAP_CLIENT_ID, SOAP_SESSION_SCOPES);

  const result = [
    element('metadataServerUrl', `${org.baseUrl}/services/Soap/m/${version}/${org.id}`),
    element('passwordExpired', false),
    element('sandbox', false),
    element('serverUrl', `${org.baseUrl}/services/Soap/u/${version}/${org.id}`),
    element('sessionId', session.token),
    element('userId', userId),
    `<userInfo>${userInfoXml(org, userId)}</userInfo>`,
  ].join('');
  return soapResponse('login', `<result>${result}</result>`);
}

/**
 * `POST /services/Soap/u/{version}[/{orgId}]`: the partner API's `login`, `logout` and
 * `getUserInfo`. A login session is an ordinary access token: it works as a bearer token on REST.
 */
export async function handlePartnerSoap(org: Org, request: Request, version: string): Promise<Response> {
  if (!isSupportedVersion(version)) {
    return soapFault({
      code: 'UNSUPPORTED_API_VERSION',
      message: `Invalid Api version specified on URL`,
      faultType: 'UnexpectedErrorFault',
    });
  }
  const soap = parseSoapRequest(await request.text());
  if (!soap)
    return soapFault({ code: 'soapenv:Client', message: 'Unable to parse the SOAP request envelope' });
  if (soap.operation === 'login') return login(org, version, soap.parameters);
  if (soap.operation !== 'logout' && soap.operation !== 'getUserInfo') {
    return soapFault({
      code: 'soapenv:Client',
      message: `No operation available for request {urn:partner.soap.sforce.com}${soap.operation}, please check the WSDL for the service.`,
    });
  }
  const session = soap.sessionId ? org.tokens.useAccessToken(soap.sessionId) : undefined;
  if (!session || !org.isActive(session.userId)) return soapFault(INVALID_SESSION);
  if (soap.operation === 'logout') {
    org.tokens.revoke(session.token);
    return soapResponse('logout', '');
  }
  return soapResponse('getUserInfo', `<result>${userInfoXml(org, session.userId)}</result>`);
}

export function soapRoutes(org: Org): Hono {
  const app = new Hono();
  app.post('/services/Soap/u/:version/:orgId?', (context) =>
    handlePartnerSoap(org, context.req.raw, context.req.param('version')),
  );
  return app;
}
