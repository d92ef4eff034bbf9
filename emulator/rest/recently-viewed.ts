/**
 * Recently viewed records, per user: what `GET …/recent` and the `recentItems` of
 * `GET …/sobjects/T` list. A record read, created or updated through the REST API becomes the
 * user's most recent item, as Salesforce does for API reads and writes that name a record.
 */
import { SalesforceApiError } from '../core/errors.ts';
import type { Org } from '../org/org.ts';
import { attributesOf } from '../records/serialize.ts';
import type { DataRequest, DataResponse } from './types.ts';

/** Salesforce keeps at most this many recent items per user, and `limit` may not ask for more. */
const MAX_RECENT = 200;

interface RecentItem {
  objectName: string;
  id: string;
}

const recentByOrg = new WeakMap<Org, Map<string, RecentItem[]>>();

function listOf(org: Org, userId: string): RecentItem[] {
  let byUser = recentByOrg.get(org);
  if (!byUser) {
    byUser = new Map();
    recentByOrg.set(org, byUser);
  }
  let list = byUser.get(userId);
  if (!list) {
    list = [];
    byUser.set(userId, list);
  }
  return list;
}

/** Makes a record the user's most recent item. */
export function noteRecentlyViewed(org: Org, userId: string, objectName: string, id: string): void {
  const list = listOf(org, userId);
  const existing = list.findIndex((item) => item.id === id);
  if (existing >= 0) list.splice(existing, 1);
  list.unshift({ objectName, id });
  if (list.length > MAX_RECENT) list.length = MAX_RECENT;
}

/** The user's recent items, newest first, as `{attributes, Id, Name}`; deleted and unreadable ones left out. */
export function recentItems(
  org: Org,
  userId: string,
  version: string,
  options: { objectName?: string; limit?: number } = {},
): Array<Record<string, unknown>> {
  const access = org.security.forUser(userId);
  const items: Array<Record<string, unknown>> = [];
  for (const item of listOf(org, userId)) {
    if (options.limit !== undefined && items.length >= options.limit) break;
    if (options.objectName !== undefined && item.objectName !== options.objectName) continue;
    const record = org.store.get(item.objectName, item.id);
    const object = access.schema.object(item.objectName);
    if (!record || record.IsDeleted === true || !object || !access.canRead(item.objectName, record)) continue;
    const nameField = object.nameField?.name ?? 'Name';
    items.push({
      attributes: attributesOf(version, item.objectName, item.id),
      Id: item.id,
      Name: record[nameField] ?? null,
    });
  }
  return items;
}

/** `GET …/recent?limit=`: the user's recently viewed records (at most 200). */
export function handleRecent(org: Org, request: DataRequest): DataResponse {
  const raw = request.query.get('limit');
  let limit = MAX_RECENT;
  if (raw !== null) {
    const parsed = Number(raw);
    if (!/^\d+$/.test(raw) || parsed < 1) {
      throw new SalesforceApiError(400, 'INVALID_QUERY_FILTER_OPERATOR', `Invalid value for limit: ${raw}`);
    }
    limit = Math.min(parsed, MAX_RECENT);
  }
  return { status: 200, body: recentItems(org, request.session.userId, request.version, { limit }) };
}
