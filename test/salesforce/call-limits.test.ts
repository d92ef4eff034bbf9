import { describe, expect, it } from 'vitest';
import type { CallRefusal, ServiceMetrics } from '../../src/platform/metrics/service-metrics.ts';
import {
  BUDGET_RECHECK_MS,
  type CallLimitSettings,
  SalesforceCallLimits,
} from '../../src/salesforce/call-limits.ts';
import { callRouteOf } from '../../src/salesforce/call-route.ts';
import { SalesforceConnectionError } from '../../src/salesforce/errors.ts';

function limitsWith(settings: Partial<CallLimitSettings>) {
  let now = 1_000_000;
  const refusals: CallRefusal[] = [];
  const metrics: ServiceMetrics = {
    auditRecorded() {},
    salesforceCall() {},
    salesforceCallRefused: (reason) => refusals.push(reason),
  };
  const limits = new SalesforceCallLimits({
    settings: { maxConcurrent: 10, maxQueued: 100, perMinute: 0, reservePercent: 10, ...settings },
    metrics,
    now: () => now,
  });
  return { limits, refusals, advance: (ms: number) => (now += ms) };
}

async function refusalOf(promise: Promise<unknown>): Promise<SalesforceConnectionError> {
  const error = await promise.then(
    () => undefined,
    (cause: unknown) => cause,
  );
  if (!(error instanceof SalesforceConnectionError))
    throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

describe('SalesforceCallLimits', () => {
  it('lets maxConcurrent calls run, queues the next ones in order, and refuses beyond the line', async () => {
    const { limits, refusals } = limitsWith({ maxConcurrent: 2, maxQueued: 1 });
    const first = await limits.acquire('c1');
    const second = await limits.acquire('c1');
    const order: string[] = [];
    const third = limits.acquire('c1').then((release) => {
      order.push('third');
      return release;
    });
    const refused = await refusalOf(limits.acquire('c1'));
    expect(refused.code).toBe('salesforce_busy');
    expect(refused.status).toBe(429);
    expect(refused.retryable).toBe(true);
    expect(refused.details).toMatchObject({ connectionId: 'c1', retryAfterSeconds: 1 });
    // Another connection has its own slots.
    (await limits.acquire('c2'))();
    expect(order).toEqual([]);
    first();
    const releaseThird = await third;
    expect(order).toEqual(['third']);
    second();
    releaseThird();
    // Releasing twice frees one slot only: two slots again, one in line, then refused.
    releaseThird();
    const a = await limits.acquire('c1');
    const b = await limits.acquire('c1');
    const waiting = limits.acquire('c1');
    await refusalOf(limits.acquire('c1'));
    a();
    (await waiting)();
    b();
    expect(refusals).toEqual(['concurrency', 'concurrency']);
  });

  it('refuses past the per-minute rate with the seconds until the next call is allowed', async () => {
    const { limits, refusals, advance } = limitsWith({ perMinute: 2 });
    (await limits.acquire('c1'))();
    (await limits.acquire('c1'))();
    const refused = await refusalOf(limits.acquire('c1'));
    expect(refused.code).toBe('salesforce_rate_limited');
    expect(refused.details?.retryAfterSeconds).toBe(30);
    advance(30_000);
    (await limits.acquire('c1'))();
    expect(refusals).toEqual(['rate']);
  });

  it('refuses once the org usage reaches its share, and lets one call re-read the usage after the recheck period', async () => {
    const { limits, advance } = limitsWith({ reservePercent: 10 });
    limits.observeUsage('c1', { used: 899, max: 1000 });
    (await limits.acquire('c1'))();
    limits.observeUsage('c1', { used: 900, max: 1000 });
    const refused = await refusalOf(limits.acquire('c1'));
    expect(refused.code).toBe('salesforce_api_budget');
    expect(refused.details?.retryAfterSeconds).toBe(BUDGET_RECHECK_MS / 1000);
    advance(BUDGET_RECHECK_MS - 1000);
    expect((await refusalOf(limits.acquire('c1'))).details?.retryAfterSeconds).toBe(1);
    advance(1000);
    // One call goes to read Salesforce's counter again; the next waits for its reading.
    const probe = await limits.acquire('c1');
    await refusalOf(limits.acquire('c1'));
    limits.observeUsage('c1', { used: 850, max: 1000 });
    probe();
    (await limits.acquire('c1'))();
  });

  it('reserves nothing at 0% and ignores usage reports without a limit', async () => {
    const { limits } = limitsWith({ reservePercent: 0 });
    limits.observeUsage('c1', { used: 999, max: 1000 });
    (await limits.acquire('c1'))();
    limits.observeUsage('c1', { used: 1000, max: 1000 });
    await refusalOf(limits.acquire('c1'));
    limits.observeUsage('c2', { used: 5, max: 0 });
    (await limits.acquire('c2'))();
  });
});

describe('callRouteOf', () => {
  it.each([
    ['GET', '/query?q=SELECT+Id+FROM+Account', 'GET /query'],
    ['GET', '/services/data/v66.0/query/01gxx0000000001-2000', 'GET /query/:id'],
    ['POST', '/sobjects/Task', 'POST /sobjects/:type'],
    ['PATCH', '/sobjects/Account/001xx000003DGb2AAG', 'PATCH /sobjects/:type/:id'],
    ['GET', '/sobjects/Contact/describe', 'GET /sobjects/:type/describe'],
    ['GET', '/services/data/v66.0/sobjects/ContentNote/069xx/Content', 'GET /sobjects/:type/:id/:id'],
    ['POST', '/composite', 'POST /composite'],
    ['GET', '/services/data/', 'GET /versions'],
    ['get', 'https://acme.my.salesforce.com/services/data/v66.0/limits', 'GET /limits'],
  ])('%s %s → %s', (method, url, route) => {
    expect(callRouteOf(method, url)).toBe(route);
  });
});
