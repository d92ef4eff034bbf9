import { describe, expect, it } from 'vitest';
import { executeTool } from '../../../src/agent/tools/execute-tool.ts';
import type { AgentSalesforceClient } from '../../../src/agent/tools/tool-catalog.ts';
import { retrievedContact, url } from './compact/fixtures.ts';

describe('read tools: what the model reads', () => {
  const client = (search: unknown, record: unknown) =>
    ({
      search: async () => search,
      retrieve: async () => record,
    }) as unknown as AgentSalesforceClient;
  const environment = (search: unknown, record: unknown = {}) => ({
    client: client(search, record),
    keepRemainder: () => 'cursor',
    takeRemainder: () => undefined,
  });
  const oneAccount = {
    searchRecords: [
      {
        attributes: { type: 'Account', url: url('Account', '0018d0000000001AAA') },
        Id: '0018d0000000001AAA',
        Name: 'Harborview Hospitality',
        Industry: 'Hospitality',
        BillingCity: 'Miami',
      },
    ],
  };

  it('a search that finds one record answers with the record, within 40% of the raw bytes', async () => {
    const execution = await executeTool('search_records', { term: 'Harborview' }, environment(oneAccount));
    expect(execution).toMatchObject({
      kind: 'ok',
      output: 'Account 0018d0000000001AAA Harborview Hospitality\nIndustry=Hospitality\nBillingCity=Miami',
      recordIds: ['0018d0000000001AAA'],
    });
    expect(
      execution.kind === 'ok' && (execution.contextBytes ?? 0) / (execution.rawBytes ?? 1),
    ).toBeLessThanOrEqual(0.4);
    // Two records: the table form.
    const two = {
      searchRecords: [
        oneAccount.searchRecords[0],
        { ...oneAccount.searchRecords[0], Id: '0018d0000000002AAA' },
      ],
    };
    const table = await executeTool('search_records', { term: 'Harborview' }, environment(two));
    expect(table.output).toMatchObject({ ok: true, returned: 2 });
  });

  it('get_record answers with the record form', async () => {
    const execution = await executeTool(
      'get_record',
      { objectType: 'Contact', id: '0038d0000000003AAA' },
      environment({}, retrievedContact),
    );
    expect(execution.kind).toBe('ok');
    expect(String(execution.output).startsWith('Contact 0038d0000000003AAA Ahmed Novak\n')).toBe(true);
    expect(execution.recordIds).toEqual(['0038d0000000003AAA']);
  });

  it('query_records keeps a system field the query selects by name, not under FIELDS(ALL)', async () => {
    const raw = {
      totalSize: 1,
      done: true,
      records: [
        {
          attributes: { type: 'Account', url: url('Account', '0018d0000000001AAA') },
          Id: '0018d0000000001AAA',
          Name: 'Harborview',
          CreatedById: '0058d0000000001AAA',
          LastModifiedById: '0058d0000000002AAA',
        },
      ],
    };
    const environment = {
      client: { query: async () => raw } as unknown as AgentSalesforceClient,
      keepRemainder: () => 'cursor',
      takeRemainder: () => undefined,
    };
    const named = await executeTool(
      'query_records',
      { soql: 'SELECT Id, Name, CreatedById, LastModifiedById FROM Account' },
      environment,
    );
    expect(named.output).toMatchObject({ fields: ['Id', 'Name', 'CreatedById', 'LastModifiedById'] });
    const filtered = await executeTool(
      'query_records',
      { soql: "SELECT FIELDS(ALL) FROM Account WHERE CreatedById = '0058d0000000001AAA'" },
      environment,
    );
    expect(filtered.output).toMatchObject({ fields: ['Id', 'Name', 'CreatedById'] });
    const all = await executeTool('query_records', { soql: 'SELECT FIELDS(ALL) FROM Account' }, environment);
    expect(all.output).toMatchObject({ fields: ['Id', 'Name'] });
  });
});
