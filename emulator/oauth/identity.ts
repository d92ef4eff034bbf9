import type { Org } from '../org/org.ts';
import { LATEST_VERSION } from '../rest/versions.ts';

/**
 * The `urls` block of the identity and userinfo responses. Without a `version` parameter
 * Salesforce leaves the literal `{version}` in every URL; `latest` picks the newest version.
 */
function urls(org: Org, userId: string, version: string | undefined): Record<string, string> {
  const base = org.baseUrl;
  const soapOrgId = org.id.slice(0, 15);
  const block: Record<string, string> = {
    enterprise: `${base}/services/Soap/c/{version}/${soapOrgId}`,
    metadata: `${base}/services/Soap/m/{version}/${soapOrgId}`,
    partner: `${base}/services/Soap/u/{version}/${soapOrgId}`,
    rest: `${base}/services/data/v{version}/`,
    sobjects: `${base}/services/data/v{version}/sobjects/`,
    search: `${base}/services/data/v{version}/search/`,
    query: `${base}/services/data/v{version}/query/`,
    recent: `${base}/services/data/v{version}/recent/`,
    tooling_soap: `${base}/services/Soap/T/{version}/${soapOrgId}`,
    tooling_rest: `${base}/services/data/v{version}/tooling/`,
    profile: `${base}/${userId}`,
    feeds: `${base}/services/data/v{version}/chatter/feeds`,
    groups: `${base}/services/data/v{version}/chatter/groups`,
    users: `${base}/services/data/v{version}/chatter/users`,
    feed_items: `${base}/services/data/v{version}/chatter/feed-items`,
    feed_elements: `${base}/services/data/v{version}/chatter/feed-elements`,
    custom_domain: base,
  };
  if (!version) return block;
  const resolved = version === 'latest' ? LATEST_VERSION : version;
  return Object.fromEntries(
    Object.entries(block).map(([key, url]) => [key, url.replace('{version}', resolved)]),
  );
}

/** Salesforce reports a time zone's standard (non-daylight) offset in milliseconds. */
function standardOffsetMs(timeZone: string): number {
  const year = new Date().getUTCFullYear();
  const offsetAt = (epochMs: number): number => {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(
      epochMs,
    );
    const name = parts.find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
    const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    if (!match) return 0;
    return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) * 60_000;
  };
  try {
    return Math.min(offsetAt(Date.UTC(year, 0, 1)), offsetAt(Date.UTC(year, 6, 1)));
  } catch {
    return 0;
  }
}

/** `2026-01-31T09:15:00.000+0000` → `2026-01-31T09:15:00Z`, the identity service's timestamp format. */
function identityTimestamp(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const epoch = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(epoch) ? null : new Date(epoch).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

interface UserFacts {
  userId: string;
  username: string;
  nickname: string;
  name: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  timeZone: string;
  locale: string;
  language: string;
  active: boolean;
  country: string | null;
  mobilePhone: string | null;
  modified: string | null;
  photos: { picture: string; thumbnail: string };
}

function userFacts(org: Org, userId: string): UserFacts | undefined {
  const user = org.user(userId);
  if (!user) return undefined;
  const username = String(user.Username);
  const timeZone = text(user.TimeZoneSidKey) ?? 'America/Los_Angeles';
  return {
    userId,
    username,
    // Salesforce's default CommunityNickname is the username's local part.
    nickname: text(user.CommunityNickname) ?? username.split('@')[0],
    name: text(user.Name) ?? username,
    firstName: text(user.FirstName),
    lastName: text(user.LastName),
    email: text(user.Email),
    timeZone,
    locale: text(user.LocaleSidKey) ?? 'en_US',
    language: text(user.LanguageLocaleKey) ?? 'en_US',
    active: user.IsActive === true,
    country: text(user.Country) ?? 'US',
    mobilePhone: text(user.MobilePhone),
    modified: identityTimestamp(user.LastModifiedDate),
    photos: {
      picture: `${org.baseUrl}/profilephoto/005/F`,
      thumbnail: `${org.baseUrl}/profilephoto/005/T`,
    },
  };
}

/** `GET /services/oauth2/userinfo`: the OpenID Connect userinfo of the token's user. */
export function userInfoResponse(
  org: Org,
  userId: string,
  version?: string,
): Record<string, unknown> | undefined {
  const facts = userFacts(org, userId);
  if (!facts) return undefined;
  return {
    sub: org.identityUrl(userId),
    user_id: userId,
    organization_id: org.id,
    preferred_username: facts.username,
    nickname: facts.nickname,
    name: facts.name,
    email: facts.email,
    email_verified: true,
    given_name: facts.firstName,
    family_name: facts.lastName,
    zoneinfo: facts.timeZone,
    photos: facts.photos,
    profile: `${org.baseUrl}/${userId}`,
    picture: facts.photos.picture,
    address: facts.country ? { country: facts.country } : {},
    is_salesforce_integration_user: false,
    urls: urls(org, userId, version),
    active: facts.active,
    user_type: 'STANDARD',
    language: facts.language,
    locale: facts.locale,
    utcOffset: standardOffsetMs(facts.timeZone),
    updated_at: facts.modified,
    is_lightning_login_user: false,
    is_app_installed: true,
  };
}

/** `GET /id/{orgId}/{userId}`: the identity service's answer about one user of the org. */
export function identityResponse(
  org: Org,
  userId: string,
  assertedUser: boolean,
  version?: string,
): Record<string, unknown> | undefined {
  const facts = userFacts(org, userId);
  if (!facts) return undefined;
  return {
    id: org.identityUrl(userId),
    asserted_user: assertedUser,
    user_id: userId,
    organization_id: org.id,
    username: facts.username,
    nick_name: facts.nickname,
    display_name: facts.name,
    email: facts.email,
    email_verified: true,
    first_name: facts.firstName,
    last_name: facts.lastName,
    timezone: facts.timeZone,
    photos: facts.photos,
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: facts.country,
    addr_zip: null,
    mobile_phone: facts.mobilePhone,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    urls: urls(org, userId, version),
    active: facts.active,
    user_type: 'STANDARD',
    language: facts.language,
    locale: facts.locale,
    utcOffset: standardOffsetMs(facts.timeZone),
    last_modified_date: facts.modified,
    is_app_installed: true,
  };
}

/** The OpenID claims of an id token, chosen by the granted scopes as Salesforce does. */
export function idTokenUserClaims(
  org: Org,
  userId: string,
  scopes: readonly string[],
): Record<string, unknown> {
  const facts = userFacts(org, userId);
  if (!facts) return {};
  const claims: Record<string, unknown> = {};
  if (scopes.includes('profile') || scopes.includes('openid')) {
    Object.assign(claims, {
      preferred_username: facts.username,
      nickname: facts.nickname,
      name: facts.name,
      given_name: facts.firstName,
      family_name: facts.lastName,
      zoneinfo: facts.timeZone,
      locale: facts.locale,
      picture: facts.photos.picture,
      profile: `${org.baseUrl}/${userId}`,
      updated_at: facts.modified,
    });
  }
  if (scopes.includes('email')) Object.assign(claims, { email: facts.email, email_verified: true });
  if (scopes.includes('address')) claims.address = facts.country ? { country: facts.country } : {};
  if (scopes.includes('phone') && facts.mobilePhone) claims.phone_number = facts.mobilePhone;
  return claims;
}
