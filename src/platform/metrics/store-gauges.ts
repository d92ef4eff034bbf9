import { Gauge } from 'prom-client';
import type { Store } from '../../store/database.ts';

/**
 * Gauges read from the shared store when Prometheus scrapes: every instance reports the same
 * workspace-wide numbers (open sends, each org's API usage as Salesforce last reported it), plus
 * its own database pool's use. A failing read leaves the gauge empty rather than failing the scrape.
 */
export function storeGauges(store: Store): Gauge[] {
  const openSends = new Gauge({
    name: 'forcefield_meeting_sends_open',
    help: 'Meeting sends not yet finished, by status (pending: under way; unknown: outcome being looked up).',
    labelNames: ['status'],
    registers: [],
    async collect() {
      this.reset();
      const rows = await store.db
        .selectFrom('meeting_sends')
        .select(['status', (builder) => builder.fn.countAll<number | string>().as('count')])
        .where('status', 'in', ['pending', 'unknown'])
        .groupBy('status')
        .execute();
      for (const status of ['pending', 'unknown']) {
        const row = rows.find((candidate) => candidate.status === status);
        this.set({ status }, Number(row?.count ?? 0));
      }
    },
  });
  const apiUsed = new Gauge({
    name: 'forcefield_salesforce_api_requests_used',
    help: 'API requests each Salesforce org used today, from the last Sforce-Limit-Info header seen.',
    labelNames: ['org_id'],
    registers: [],
    async collect() {
      this.reset();
      for (const [orgId, usage] of await apiUsageByOrg(store)) this.set({ org_id: orgId }, usage.used);
    },
  });
  const apiLimit = new Gauge({
    name: 'forcefield_salesforce_api_requests_limit',
    help: "Each Salesforce org's daily API request limit, from the last Sforce-Limit-Info header seen.",
    labelNames: ['org_id'],
    registers: [],
    async collect() {
      this.reset();
      for (const [orgId, usage] of await apiUsageByOrg(store)) this.set({ org_id: orgId }, usage.max);
    },
  });
  const pool = new Gauge({
    name: 'forcefield_database_pool_connections',
    help: 'Database pool connections of this instance by state (total, idle, waiting requests, max).',
    labelNames: ['state'],
    registers: [],
    collect() {
      const stats = store.poolStats?.();
      if (!stats) return;
      for (const [state, value] of Object.entries(stats)) this.set({ state }, value);
    },
  });
  return [openSends, apiUsed, apiLimit, pool];
}

/** Each org's newest usage report (several connections to one org report the same counter). */
async function apiUsageByOrg(store: Store): Promise<Map<string, { used: number; max: number }>> {
  const rows = await store.db
    .selectFrom('connections')
    .select(['salesforce_org_id', 'api_usage_used', 'api_usage_max', 'api_usage_at'])
    .where('api_usage_max', 'is not', null)
    .orderBy('api_usage_at', 'asc')
    .execute();
  const byOrg = new Map<string, { used: number; max: number }>();
  for (const row of rows) {
    byOrg.set(row.salesforce_org_id, { used: row.api_usage_used ?? 0, max: row.api_usage_max ?? 0 });
  }
  return byOrg;
}
