import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/index.ts';
import type { AuditAction } from '../../src/audit/audit-actions.ts';
import type { AuditDecision } from '../../src/audit/audit-log.ts';
import { salesforceClientFor } from '../../src/connections/connection-client.ts';
import { SalesforceApiError } from '../../src/salesforce/errors.ts';
import { resolveLoginHost } from '../../src/salesforce/login-hosts.ts';
import type { SalesforceClient } from '../../src/salesforce/salesforce-client.ts';
import { connect, logIn, serviceUser } from '../support/connections.ts';
import { emulatorSalesforce, startTestService, type TestService } from '../support/service.ts';

let emulator: RunningEmulator;
let test: TestService;
let client: SalesforceClient;
let userId: string;
let connectionId: string;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: 'demo' });
  test = await startTestService(emulatorSalesforce(emulator.url));
  const bob = await logIn(test.service.url, 'bob@forcefield.demo');
  // Acting as the org's System Administrator, who may delete Accounts.
  connectionId = await connect(bob, emulator, { kind: 'personal', username: 'alice@acme.demo' });
  const user = await serviceUser(test.service, 'bob@forcefield.demo');
  userId = user.id;
  client = await salesforceClientFor(test.service.context, user, connectionId);
});

afterAll(async () => {
  await test.stop();
  await emulator.stop();
});

function decision(action: AuditAction): AuditDecision {
  return { kind: 'audit', actorUserId: userId, surface: 'web', action };
}

async function eventsFor(action: string) {
  return (await test.service.context.audit.query({ connectionId, action })).events;
}

describe('Salesforce client writes', () => {
  it('records an audit event for each audited write, success or failure', async () => {
    const created = await client.create(
      'Account',
      { Name: 'Audit Test Co' },
      decision('salesforce.record.created'),
    );
    expect(created.id).toMatch(/^001/);
    await client.update(
      'Account',
      created.id,
      { Industry: 'Banking' },
      decision('salesforce.record.updated'),
    );
    expect((await client.retrieve('Account', created.id, ['Industry'])).Industry).toBe('Banking');
    await client.delete('Account', created.id, decision('salesforce.record.deleted'));

    const [createdEvent] = await eventsFor('salesforce.record.created');
    expect(createdEvent).toMatchObject({
      actorUserId: userId,
      surface: 'web',
      objectType: 'Account',
      recordIds: [created.id],
      outcome: 'success',
    });
    // Field values never reach the audit log.
    expect(JSON.stringify(createdEvent)).not.toContain('Audit Test Co');
    expect((await eventsFor('salesforce.record.updated'))[0].recordIds).toEqual([created.id]);
    expect((await eventsFor('salesforce.record.deleted'))[0].outcome).toBe('success');

    const failed = client.create('Account', { Industry: 'Banking' }, decision('salesforce.record.created'));
    await expect(failed).rejects.toBeInstanceOf(SalesforceApiError);
    await expect(failed).rejects.toMatchObject({
      status: 400,
      salesforceErrorCode: 'REQUIRED_FIELD_MISSING',
    });
    const createEvents = await eventsFor('salesforce.record.created');
    expect(createEvents.filter((event) => event.outcome === 'failure')).toHaveLength(1);
    expect(createEvents.find((event) => event.outcome === 'failure')).toMatchObject({
      outcome: 'failure',
      errorCode: 'REQUIRED_FIELD_MISSING',
    });
  });

  it('audits composite writes with the records they created', async () => {
    const response = await client.composite(
      {
        allOrNone: true,
        compositeRequest: [
          {
            method: 'POST',
            url: `/services/data/v${client.apiVersion}/sobjects/Account`,
            referenceId: 'account',
            body: { Name: 'Composite Co' },
          },
        ],
      },
      decision('salesforce.composite'),
      { objectType: 'Account' },
    );
    const id = (response.compositeResponse[0].body as { id: string }).id;
    expect((await eventsFor('salesforce.composite'))[0].recordIds).toEqual([id]);
  });

  it('writes nothing itself for a write its caller audits, and requires a decision by type', async () => {
    const before = (await test.service.context.audit.query({ connectionId })).events.length;
    const created = await client.create(
      'Account',
      { Name: 'Quiet Co' },
      { kind: 'audited-by-caller', action: 'meeting.send' },
    );
    expect((await test.service.context.audit.query({ connectionId })).events.length).toBe(before);
    // @ts-expect-error: a write without an AuditDecision does not compile.
    await client.delete('Account', created.id).catch(() => undefined);
    // Nor one whose caller names an action the audit log does not know, nor a bare "no audit".
    // @ts-expect-error: not an action of audit-actions.ts.
    const unknownAction: AuditDecision = { kind: 'audited-by-caller', action: 'salesforce.x' };
    // @ts-expect-error: "no audit" is not a decision for a Salesforce write.
    const silent: AuditDecision = { kind: 'no-audit', reason: 'quiet' };
    expect([unknownAction.kind, silent.kind]).toEqual(['audited-by-caller', 'no-audit']);
  });

  it('turns query errors into typed 4xx errors, not 500s', async () => {
    await expect(client.query('SELECT Nope FROM Account')).rejects.toMatchObject({
      status: 400,
      code: 'salesforce_error',
      salesforceErrorCode: 'INVALID_FIELD',
    });
  });
});

describe('login hosts', () => {
  const real = { ...emulatorSalesforce('https://login.salesforce.com'), embedded: false };

  it('maps choices and validates My Domain URLs', () => {
    expect(resolveLoginHost(real, 'production', undefined)).toBe('https://login.salesforce.com');
    expect(resolveLoginHost(real, 'sandbox', undefined)).toBe('https://test.salesforce.com');
    expect(resolveLoginHost(real, 'custom', 'https://acme.my.salesforce.com')).toBe(
      'https://acme.my.salesforce.com',
    );
    expect(resolveLoginHost(real, 'custom', 'https://acme--uat.sandbox.my.salesforce.com/')).toBe(
      'https://acme--uat.sandbox.my.salesforce.com',
    );
    for (const bad of [
      'http://acme.my.salesforce.com',
      'https://acme.my.salesforce.com.evil.example',
      'https://evil.example/acme.my.salesforce.com',
      'https://acme.my.salesforce.com/path',
      'https://user@acme.my.salesforce.com',
      'https://.my.salesforce.com',
      'not a url',
      undefined,
    ]) {
      expect(() => resolveLoginHost(real, 'custom', bad), String(bad)).toThrow(
        expect.objectContaining({ status: 400 }),
      );
    }
    // Embedded: everything is the emulator.
    expect(resolveLoginHost(emulatorSalesforce('http://127.0.0.1:4100'), 'sandbox', undefined)).toBe(
      'http://127.0.0.1:4100',
    );
  });
});
