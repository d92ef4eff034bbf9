import { describe, expect, it } from 'vitest';
import { useTestOrg } from '../support/emulator.ts';

const org = useTestOrg();

describe('Tooling API (an org without Apex, pages, components or source tracking)', () => {
  it('finds no rows for the objects clients probe, in the Tooling API result shape', async () => {
    const result = await org.api(
      `/tooling/query?q=${encodeURIComponent('SELECT Id, Name FROM apexclass LIMIT 5')}`,
    );
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      size: 0,
      totalSize: 0,
      done: true,
      queryLocator: null,
      entityTypeName: 'ApexClass',
      records: [],
    });
  });

  it('refuses objects an org without source tracking lacks, as INVALID_TYPE', async () => {
    const result = await org.api(`/tooling/query?q=${encodeURIComponent('SELECT Id FROM SourceMember')}`);
    expect(result.status).toBe(400);
    expect(result.body[0].errorCode).toBe('INVALID_TYPE');
    expect(result.body[0].message).toContain("sObject type 'SourceMember' is not supported");
  });

  it('answers malformed SOQL with MALFORMED_QUERY', async () => {
    const result = await org.api(`/tooling/query?q=${encodeURIComponent('SELECT FROM')}`);
    expect(result.status).toBe(400);
    expect(result.body[0].errorCode).toBe('MALFORMED_QUERY');
  });

  it('lists its objects at tooling/sobjects', async () => {
    const result = await org.api('/tooling/sobjects');
    expect(result.status).toBe(200);
    const names = result.body.sobjects.map((object: { name: string }) => object.name);
    expect(names).toEqual(expect.arrayContaining(['ApexClass', 'ApexTrigger', 'ApexLog', 'TraceFlag']));
    expect(names).not.toContain('SourceMember');
  });
});
