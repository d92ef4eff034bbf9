/**
 * `GET …/limits/recordCount?sObjects=A,B`: how many records each object holds, as Salesforce's
 * storage usage counts them (every live record, whoever can see it). Objects named that do not exist
 * are left out; without `sObjects`, every object is listed.
 */
import type { Org } from '../org/org.ts';
import type { DataRequest, DataResponse } from './types.ts';

export function handleRecordCount(org: Org, request: DataRequest): DataResponse {
  const list = request.query.get('sObjects');
  const objects =
    list === null
      ? org.schema.objects.filter((object) => object.queryable)
      : list
          .split(',')
          .map((name) => org.schema.object(name.trim()))
          .filter((object) => object !== undefined);
  const seen = new Set<string>();
  const sObjects: Array<{ count: number; name: string }> = [];
  for (const object of objects) {
    if (seen.has(object.name)) continue;
    seen.add(object.name);
    let count = 0;
    for (const record of org.store.table(object.name).records.values())
      if (record.IsDeleted !== true) count++;
    sObjects.push({ count, name: object.name });
  }
  return { status: 200, body: { sObjects } };
}
