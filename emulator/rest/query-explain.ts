/**
 * `GET …/query?explain=SELECT …`: the Query Plan tool's answer, computed from the emulator's own
 * planner: one Index plan per top-level equality/IN filter on an indexed field (its cardinality is
 * what the index holds for the values), and the TableScan plan, cheapest first. Relative cost is
 * cardinality over Salesforce's selectivity threshold (30% of the first million records for
 * standard indexes, 10% for custom ones), so below 1 means selective, as on Salesforce.
 */
import { SalesforceApiError } from '../core/errors.ts';
import type { Org } from '../org/org.ts';
import { planQuery } from '../soql/plan.ts';
import type { DataRequest, DataResponse } from './types.ts';

interface ExplainPlan {
  cardinality: number;
  fields: string[];
  leadingOperationType: 'Index' | 'TableScan';
  notes: Array<{ description: string; fields: string[]; tableEnumOrId: string }>;
  relativeCost: number;
  sobjectCardinality: number;
  sobjectType: string;
}

const MILLION = 1_000_000;

function threshold(total: number, custom: boolean): number {
  const [first, rest, cap] = custom ? [0.1, 0.05, 333_333] : [0.3, 0.15, MILLION];
  const value = first * Math.min(total, MILLION) + rest * Math.max(0, total - MILLION);
  return Math.max(1, Math.min(cap, value));
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

export function handleQueryExplain(org: Org, request: DataRequest): DataResponse {
  const explain = (request.query.get('explain') ?? '').trim();
  if (!/^select\s/i.test(explain)) {
    // Salesforce also explains report and list view ids; the emulator has neither.
    throw new SalesforceApiError(
      400,
      'MALFORMED_QUERY',
      'explain takes a SOQL query (report and list view ids are not supported)',
    );
  }
  const access = org.security.forUser(request.session.userId);
  const plan = planQuery(access.schema, explain);
  const objectName = plan.object.name;
  const table = org.store.table(objectName);
  let sobjectCardinality = 0;
  for (const record of table.records.values()) if (record.IsDeleted !== true) sobjectCardinality++;
  const plans: ExplainPlan[] = [];
  const unindexed: string[] = [];
  for (const probe of plan.where?.probes ?? []) {
    if (!table.hasIndex(probe.fieldName) || probe.semiJoin !== undefined) {
      unindexed.push(probe.fieldName);
      continue;
    }
    const ids = new Set<string>();
    for (const value of probe.values ?? [])
      for (const id of table.lookup(probe.fieldName, value) ?? []) ids.add(id);
    const field = org.schema.field(objectName, probe.fieldName);
    const custom = field?.name.endsWith('__c') === true;
    plans.push({
      cardinality: ids.size,
      fields: [probe.fieldName],
      leadingOperationType: 'Index',
      notes: [],
      relativeCost: round(ids.size / threshold(sobjectCardinality, custom)),
      sobjectCardinality,
      sobjectType: objectName,
    });
  }
  plans.push({
    cardinality: sobjectCardinality,
    fields: [],
    leadingOperationType: 'TableScan',
    notes:
      plan.where && plans.length === 0
        ? [
            {
              description: 'Not considering filter for optimization because unindexed',
              fields: unindexed,
              tableEnumOrId: objectName,
            },
          ]
        : [],
    relativeCost: round(sobjectCardinality / threshold(sobjectCardinality, false)),
    sobjectCardinality,
    sobjectType: objectName,
  });
  plans.sort((left, right) => left.relativeCost - right.relativeCost);
  return { status: 200, body: { plans, sourceQuery: explain } };
}
